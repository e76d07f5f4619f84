// Tracker event codes (`e`) → the `event` column and the schema fields enrich derives for them
// (Snowplow enrich EventEnrichments.extractEventType + SchemaEnrichment; snowplow.md §1.3).
export interface EventTypeInfo {
  readonly event: string;
  readonly vendor?: string;
  readonly name?: string;
}

const SP = 'com.snowplowanalytics.snowplow';

/** No prototype: `e=constructor` or `e=__proto__` must be unknown, not Object.prototype's members. */
export const eventTypes: Readonly<Record<string, EventTypeInfo | undefined>> = Object.freeze(Object.assign(Object.create(null) as Record<string, EventTypeInfo>, {
  pv: { event: 'page_view', vendor: SP, name: 'page_view' },
  pp: { event: 'page_ping', vendor: SP, name: 'page_ping' },
  se: { event: 'struct', vendor: 'com.google.analytics', name: 'event' },
  ev: { event: 'struct', vendor: 'com.google.analytics', name: 'event' },
  ue: { event: 'unstruct' },
  tr: { event: 'transaction', vendor: SP, name: 'transaction' },
  ti: { event: 'transaction_item', vendor: SP, name: 'transaction_item' },
  ad: { event: 'ad_impression', vendor: SP, name: 'ad_impression' },
}));

export const platforms: ReadonlySet<string> = new Set(['web', 'mob', 'pc', 'srv', 'app', 'tv', 'cnsl', 'iot', 'headset']);
