// One planned tracker call of the demo traffic: everything a browser tracker would send for it,
// so the same hit can go out live through the node tracker or be enriched for an import.

export type HitKind = 'page_view' | 'page_ping' | 'struct' | 'self_describing' | 'transaction';

export interface SelfDescribing { readonly schema: string; readonly data: Readonly<Record<string, unknown>> }

/** Who sends the hits: the browser and device a visitor's tracker reports on every event. */
export interface TrackerDevice {
  readonly appId: string;
  readonly duid: string;
  readonly ua: string;
  readonly ip: string;
  readonly lang: string;
  readonly tz: string;
  readonly screen: readonly [number, number];
  readonly viewport: readonly [number, number];
}

export interface Hit extends TrackerDevice {
  readonly kind: HitKind;
  /** When it happened, epoch ms (sent as dtm and ttm, so derived_tstamp equals it exactly). */
  readonly time: number;
  readonly eventId: string;
  readonly sid: string;
  /** Session index (the tracker's visit count). */
  readonly vid: number;
  readonly uid?: string;
  readonly pageViewId: string;
  readonly url: string;
  readonly title: string;
  readonly referrer?: string;
  readonly docHeight: number;
  /** Page pings: the vertical scroll offsets seen since the last ping. */
  readonly scrollY?: readonly [number, number];
  readonly event?: SelfDescribing;
  readonly struct?: { readonly category: string; readonly action: string; readonly label?: string; readonly value?: number };
  readonly transaction?: { readonly orderId: string; readonly total: number; readonly currency: string };
}

export const WEB_PAGE_SCHEMA = 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0';
export const DEMO_VENDOR = 'io.webcube.demo';
export const demoSchema = (name: string) => `iglu:${DEMO_VENDOR}/${name}/jsonschema/1-0-0`;
