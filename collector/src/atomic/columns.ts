// The data contract between the collector and every reader: Snowplow's canonical
// atomic.events columns (reference: shared/reference/snowplow.md §4), in canonical order,
// with the Parquet/DuckDB type each is written as. Timestamps are UTC without zone
// (Snowplow's TIMESTAMP_NTZ). unstruct_event, contexts and derived_contexts hold the
// self-describing JSON envelopes as text. The last columns are webcube additions that
// Snowplow keeps in derived contexts; they are named apart so community SQL still fits.

export type AtomicType = 'VARCHAR' | 'TIMESTAMP' | 'INTEGER' | 'SMALLINT' | 'DOUBLE' | 'DECIMAL(18,2)' | 'BOOLEAN';

export interface AtomicColumn {
  readonly name: string;
  readonly type: AtomicType;
}

const s = (...names: string[]) => names.map((name) => ({ name, type: 'VARCHAR' as const }));
const t = (...names: string[]) => names.map((name) => ({ name, type: 'TIMESTAMP' as const }));
const i = (...names: string[]) => names.map((name) => ({ name, type: 'INTEGER' as const }));
const d = (...names: string[]) => names.map((name) => ({ name, type: 'DOUBLE' as const }));
const m = (...names: string[]) => names.map((name) => ({ name, type: 'DECIMAL(18,2)' as const }));
const b = (...names: string[]) => names.map((name) => ({ name, type: 'BOOLEAN' as const }));

export const atomicColumns: readonly AtomicColumn[] = Object.freeze([
  ...s('app_id', 'platform'),
  ...t('etl_tstamp', 'collector_tstamp', 'dvce_created_tstamp'),
  ...s('event', 'event_id'), ...i('txn_id'),
  ...s('name_tracker', 'v_tracker', 'v_collector', 'v_etl'),
  ...s('user_id', 'user_ipaddress', 'user_fingerprint', 'domain_userid'), { name: 'domain_sessionidx', type: 'SMALLINT' }, ...s('network_userid'),
  ...s('geo_country', 'geo_region', 'geo_city', 'geo_zipcode'), ...d('geo_latitude', 'geo_longitude'), ...s('geo_region_name'),
  ...s('ip_isp', 'ip_organization', 'ip_domain', 'ip_netspeed'),
  ...s('page_url', 'page_title', 'page_referrer'),
  ...s('page_urlscheme', 'page_urlhost'), ...i('page_urlport'), ...s('page_urlpath', 'page_urlquery', 'page_urlfragment'),
  ...s('refr_urlscheme', 'refr_urlhost'), ...i('refr_urlport'), ...s('refr_urlpath', 'refr_urlquery', 'refr_urlfragment'),
  ...s('refr_medium', 'refr_source', 'refr_term'),
  ...s('mkt_medium', 'mkt_source', 'mkt_term', 'mkt_content', 'mkt_campaign'),
  ...s('contexts'),
  ...s('se_category', 'se_action', 'se_label', 'se_property'), ...d('se_value'),
  ...s('unstruct_event'),
  ...s('tr_orderid', 'tr_affiliation'), ...m('tr_total', 'tr_tax', 'tr_shipping'), ...s('tr_city', 'tr_state', 'tr_country'),
  ...s('ti_orderid', 'ti_sku', 'ti_name', 'ti_category'), ...m('ti_price'), ...i('ti_quantity'),
  ...i('pp_xoffset_min', 'pp_xoffset_max', 'pp_yoffset_min', 'pp_yoffset_max'),
  ...s('useragent'),
  ...s('br_name', 'br_family', 'br_version', 'br_type', 'br_renderengine', 'br_lang'),
  ...b('br_features_pdf', 'br_features_flash', 'br_features_java', 'br_features_director', 'br_features_quicktime',
    'br_features_realplayer', 'br_features_windowsmedia', 'br_features_gears', 'br_features_silverlight', 'br_cookies'),
  ...s('br_colordepth'), ...i('br_viewwidth', 'br_viewheight'),
  ...s('os_name', 'os_family', 'os_manufacturer', 'os_timezone'),
  ...s('dvce_type'), ...b('dvce_ismobile'), ...i('dvce_screenwidth', 'dvce_screenheight'),
  ...s('doc_charset'), ...i('doc_width', 'doc_height'),
  ...s('tr_currency'), ...m('tr_total_base', 'tr_tax_base', 'tr_shipping_base'), ...s('ti_currency'), ...m('ti_price_base'), ...s('base_currency'),
  ...s('geo_timezone'),
  ...s('mkt_clickid', 'mkt_network'),
  ...s('etl_tags'),
  ...t('dvce_sent_tstamp'),
  ...s('refr_domain_userid'), ...t('refr_dvce_tstamp'),
  ...s('derived_contexts'),
  ...s('domain_sessionid'),
  ...t('derived_tstamp'),
  ...s('event_vendor', 'event_name', 'event_format', 'event_version'),
  ...s('event_fingerprint'),
  ...t('true_tstamp'),
  ...t('load_tstamp'),
  // webcube additions: the bot flag (isbot + rules) and the web_page context's id,
  // lifted out of JSON so the data model can group page views without parsing contexts.
  ...b('is_bot'),
  ...s('web_page_id'),
]);

export const atomicColumnNames: readonly string[] = Object.freeze(atomicColumns.map((c) => c.name));

/** One enriched event, keyed by atomic column name; absent or null means SQL NULL.
 *  TIMESTAMP columns hold epoch milliseconds (UTC) as numbers. */
export type AtomicEvent = { readonly [column: string]: string | number | boolean | null | undefined };
