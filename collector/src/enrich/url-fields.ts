// Page URL + referrer → every column they enrich to (page_url*, refr_url*, refr_medium/source/term,
// mkt_*, refr_domain_userid/refr_dvce_tstamp) as one patch. All of them depend on the two URLs
// alone, and the events of a page share both, so the patch is made once per page and referrer.
import { campaignFields } from './campaign.ts';
import { crossDomainFields } from './cross-domain.ts';
import { columnGroup, toPatch, type FieldPatch } from './field-patch.ts';
import { classifyReferer } from './referer.ts';
import { urlColumns, type UrlParts } from './url-parts.ts';

export type UrlFieldsEnricher = (pageUrl: string | undefined, referrer: string | undefined) => FieldPatch;

/** In the order enrich fills them: URL parts, referer, campaign, cross-domain. */
const URL_FIELDS = columnGroup(
  'page_urlscheme', 'page_urlhost', 'page_urlport', 'page_urlpath', 'page_urlquery', 'page_urlfragment',
  'refr_urlscheme', 'refr_urlhost', 'refr_urlport', 'refr_urlpath', 'refr_urlquery', 'refr_urlfragment',
  'refr_medium', 'refr_source', 'refr_term',
  'mkt_medium', 'mkt_source', 'mkt_term', 'mkt_content', 'mkt_campaign', 'mkt_clickid', 'mkt_network',
  'refr_domain_userid', 'refr_dvce_tstamp',
);

export function urlFields(page: UrlParts | undefined, refr: UrlParts | undefined, internalDomains: readonly string[]): FieldPatch {
  return toPatch(URL_FIELDS, urlColumns('page', page), urlColumns('refr', refr), classifyReferer(refr, page, internalDomains),
    campaignFields(page), crossDomainFields(page));
}

/** Remembers the last referrer's patch per page URL (a page's events come with one referrer). A hit
 *  is one lookup; the memo is emptied when full rather than kept in LRU order, which would cost a
 *  re-insert per hit, and refilling it parses nothing (parseUrl has its own cache). */
export function createUrlFieldsEnricher(parseUrl: (raw: string | undefined) => UrlParts | undefined,
  internalDomains: readonly string[], capacity: number): UrlFieldsEnricher {
  const memo = new Map<string, { readonly referrer: string | undefined; readonly patch: FieldPatch }>();
  return (pageUrl, referrer) => {
    const key = pageUrl ?? '';
    const hit = memo.get(key);
    if (hit !== undefined && hit.referrer === referrer) return hit.patch;
    const patch = urlFields(parseUrl(pageUrl), parseUrl(referrer), internalDomains);
    if (memo.size >= capacity) memo.clear();
    if (capacity > 0) memo.set(key, { referrer, patch });
    return patch;
  };
}
