// Campaign attribution (Snowplow's campaign_attribution enrichment): utm_* in the page URL →
// mkt_*, and ad click ids → mkt_clickid / mkt_network.
import type { UrlParts } from './url-parts.ts';

export interface CampaignFields {
  readonly mkt_medium: string | null; readonly mkt_source: string | null; readonly mkt_term: string | null;
  readonly mkt_content: string | null; readonly mkt_campaign: string | null;
  readonly mkt_clickid: string | null; readonly mkt_network: string | null;
}

/** Snowplow's defaults (gclid, msclkid, dclid) plus the other large ad networks' click ids. */
const CLICK_IDS: ReadonlyArray<readonly [string, string]> = [
  ['gclid', 'Google'], ['gbraid', 'Google'], ['wbraid', 'Google'], ['dclid', 'DoubleClick'], ['msclkid', 'Microsoft'],
  ['fbclid', 'Facebook'], ['ttclid', 'TikTok'], ['twclid', 'Twitter'], ['li_fat_id', 'LinkedIn'], ['ScCid', 'Snapchat'],
  ['epik', 'Pinterest'], ['yclid', 'Yandex'], ['rdt_cid', 'Reddit'], ['irclickid', 'Impact'],
];

const NONE: CampaignFields = Object.freeze({
  mkt_medium: null, mkt_source: null, mkt_term: null, mkt_content: null, mkt_campaign: null, mkt_clickid: null, mkt_network: null,
});

/** Parsed URLs are cached and shared, and the fields depend on the URL alone: worked out once per URL. */
const memo = new WeakMap<UrlParts, CampaignFields>();

export function campaignFields(page: UrlParts | undefined): CampaignFields {
  if (!page || !page.query) return NONE;
  let fields = memo.get(page);
  if (fields === undefined) {
    fields = fromQuery(page.url.searchParams);
    memo.set(page, fields);
  }
  return fields;
}

function fromQuery(q: URLSearchParams): CampaignFields {
  let clickid: string | null = null;
  let network: string | null = null;
  for (const [param, net] of CLICK_IDS) {
    const v = q.get(param);
    if (v) { clickid = v; network = net; break; }
  }
  return Object.freeze({
    mkt_medium: q.get('utm_medium') || null, mkt_source: q.get('utm_source') || null, mkt_term: q.get('utm_term') || null,
    mkt_content: q.get('utm_content') || null, mkt_campaign: q.get('utm_campaign') || null, mkt_clickid: clickid, mkt_network: network,
  });
}
