// maxLength per atomic VARCHAR column (iglu com.snowplowanalytics.snowplow/atomic/jsonschema/1-0-0,
// snowplow.md §4). Longer values are cut rather than losing the whole event; the cut is recorded
// in etl_tags so it stays visible.
export const fieldLimits: Readonly<Record<string, number>> = Object.freeze({
  app_id: 255, platform: 255, event: 128, name_tracker: 128, v_tracker: 100, v_collector: 100,
  user_id: 255, user_ipaddress: 128, user_fingerprint: 128, domain_userid: 128, network_userid: 128,
  domain_sessionid: 128, page_url: 4096, page_title: 2000, page_referrer: 4096,
  page_urlscheme: 16, page_urlhost: 255, page_urlpath: 3000, page_urlquery: 6000, page_urlfragment: 3000,
  refr_urlscheme: 16, refr_urlhost: 255, refr_urlpath: 6000, refr_urlquery: 6000, refr_urlfragment: 3000,
  refr_medium: 25, refr_source: 50, refr_term: 255, refr_domain_userid: 128,
  mkt_medium: 255, mkt_source: 255, mkt_term: 255, mkt_content: 500, mkt_campaign: 255,
  mkt_clickid: 128, mkt_network: 64,
  se_category: 1000, se_action: 1000, se_label: 4096, se_property: 1000,
  tr_orderid: 255, tr_affiliation: 255, tr_city: 255, tr_state: 255, tr_country: 255, tr_currency: 3,
  ti_orderid: 255, ti_sku: 255, ti_name: 255, ti_category: 255, ti_currency: 3,
  useragent: 1000, br_name: 50, br_family: 50, br_version: 50, br_type: 50, br_renderengine: 50,
  br_lang: 255, br_colordepth: 12, os_name: 50, os_family: 50, os_manufacturer: 50, os_timezone: 255,
  dvce_type: 50, doc_charset: 128, geo_country: 2, geo_region: 3, geo_city: 75, geo_zipcode: 15,
  geo_region_name: 100, geo_timezone: 64, event_vendor: 1000, event_name: 1000, event_format: 128,
  event_version: 128, web_page_id: 128,
});

const LIMITS = Object.entries(fieldLimits);
/** Below this length a string fits every column except the few listed in SHORT_LIMITS. */
const SHORT = 16;
const SHORT_LIMITS = LIMITS.filter(([, limit]) => limit < SHORT);
const limitOf: ReadonlyMap<string, number> = new Map(LIMITS);

/** Whether any column is over its limit. Rows hold only their present columns and almost never need
 *  a cut, so this is the per-event cost: a length test per string, a map lookup only past SHORT. */
function anyOver(row: Record<string, unknown>): boolean {
  for (const [column, limit] of SHORT_LIMITS) {
    const v = row[column];
    if (typeof v === 'string' && v.length > limit) return true;
  }
  for (const column in row) {
    const v = row[column];
    if (typeof v === 'string' && v.length > SHORT && v.length > (limitOf.get(column) ?? Number.POSITIVE_INFINITY)) return true;
  }
  return false;
}

/** Cuts over-long strings in place; returns the names of the columns that were cut. */
export function applyFieldLimits(row: Record<string, unknown>): string[] {
  const cut: string[] = [];
  if (!anyOver(row)) return cut;
  for (const [column, limit] of LIMITS) {
    const v = row[column];
    if (typeof v === 'string' && v.length > limit) {
      row[column] = v.slice(0, limit);
      cut.push(column);
    }
  }
  return cut;
}
