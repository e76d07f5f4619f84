// What every route needs, built once by startCollector and passed down explicitly.
import type { IncomingMessage } from 'node:http';
import type { CollectorConfig } from '../config.ts';
import type { CollectorMetrics } from '../metrics.ts';
import type { EnrichContext, EventMeta } from '../process-event.ts';
import type { RawRequestMeta } from '../protocol/raw-record.ts';
import { rawRecordMeta } from '../enrich-raw-record.ts';
import type { EventStore } from '../storage/index.ts';
import { clientIp } from './client-ip.ts';
import type { RequestPrivacy } from './request-privacy.ts';
import type { RateLimiter } from './rate-limit.ts';

export interface CollectorDeps {
  readonly config: Pick<CollectorConfig, 'trustProxy' | 'cookie' | 'maxBodyBytes' | 'maxEventsPerRequest' | 'maxInflightBytes' | 'batchToken' | 'paths' | 'redirects'>;
  readonly ctx: EnrichContext;
  readonly store: EventStore;
  readonly metrics: CollectorMetrics;
  readonly limiter?: RateLimiter;
}

/** What the routes learnt of the request's consent (request-privacy.ts). */
type Privacy = Pick<RequestPrivacy, 'anonymous' | 'optedOut' | 'networkUserId' | 'networkUserIdFresh'>;

/** The request's metadata for enrichment on the request path (pixel, redirect, batch): the raw
 *  spool record's metadata read back, so both paths see a request the same way. */
export function requestMeta(req: IncomingMessage, deps: CollectorDeps, source: string, privacy: Privacy | undefined, now: number): EventMeta {
  return rawRecordMeta({ m: rawRequestMeta(req, deps, source, privacy, now, undefined), body: null });
}

/** What enrichment needs of a request, in the raw spool record's form (tp2 spools it as is). */
export function rawRequestMeta(req: IncomingMessage, deps: CollectorDeps, source: string, privacy: Privacy | undefined,
  now: number, query: URLSearchParams | undefined): RawRequestMeta {
  const { 'sp-anonymous': anon, 'user-agent': ua, referer } = req.headers;
  // An anonymous request's IP is never written, not even to the spool.
  const ip = anon === undefined && !privacy?.anonymous ? clientIp(req, deps.config.trustProxy) : undefined;
  const networkUserId = privacy?.anonymous ? undefined : privacy?.networkUserId;
  // Absent fields are left out; this order is the spool line's.
  const meta: { -readonly [K in keyof RawRequestMeta]: RawRequestMeta[K] } = { t: now, src: source };
  if (ip) meta.ip = ip;
  if (ua) meta.ua = ua;
  if (networkUserId) meta.nuid = networkUserId;
  if (networkUserId && privacy?.networkUserIdFresh) meta.nuidNew = 1;
  if (anon !== undefined) meta.anon = String(anon);
  if (privacy?.optedOut) meta.oo = 1;
  if (referer) meta.refr = referer;
  if (query && query.size > 0) meta.q = query.toString();
  return meta;
}
