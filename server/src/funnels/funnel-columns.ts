// The event columns a funnel step may filter on or a funnel may be broken down by, named like
// the `events` cube's dimensions. Only these expressions ever reach the SQL (values are bound).

/** SQL over the raw event row aliased `e` (Snowplow atomic columns). */
export const funnelColumns: Readonly<Record<string, string>> = Object.freeze({
  app_id: 'e.app_id',
  platform: 'e.platform',
  event_type: 'e.event',
  event_name: 'e.event_name',
  page_url: 'e.page_url',
  page_path: 'e.page_urlpath',
  page_host: 'e.page_urlhost',
  page_title: 'e.page_title',
  event_referrer_host: 'e.refr_urlhost',
  event_referrer_medium: 'e.refr_medium',
  utm_source: 'e.mkt_source',
  utm_medium: 'e.mkt_medium',
  utm_campaign: 'e.mkt_campaign',
  utm_term: 'e.mkt_term',
  utm_content: 'e.mkt_content',
  country: 'e.geo_country',
  region: 'e.geo_region_name',
  city: 'e.geo_city',
  device_type: "CASE WHEN e.dvce_type IS NULL THEN '(not set)' WHEN e.dvce_type = 'Computer' THEN 'desktop' ELSE lower(e.dvce_type) END",
  browser: "COALESCE(e.br_family, '(not set)')",
  os: "COALESCE(e.os_family, '(not set)')",
  language: 'lower(e.br_lang)',
  user_id: 'e.user_id',
  category: 'e.se_category',
  action: 'e.se_action',
  label: 'e.se_label',
  property: 'e.se_property',
  value: 'e.se_value',
  order_id: 'e.tr_orderid',
  revenue: 'e.tr_total',
});

/** Columns compared as numbers by gt/gte/lt/lte. */
export const numericFunnelColumns: ReadonlySet<string> = new Set(['value', 'revenue']);
