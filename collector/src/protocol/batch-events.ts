// POST /events/batch: a simple JSON format for servers and devices without a Snowplow tracker.
// Each event is mapped onto tracker parameters so it takes the same validation, enrichment and
// storage path; ids are made deterministic so a retried batch is deduplicated by the store.
import { z } from 'zod';
import { encodeBase64Url } from './base64url.ts';
import { uuidFromText } from '../enrich/fingerprint.ts';

export const BATCH_MAX_EVENTS = 500;
export const BATCH_MAX_BYTES = 512 * 1024;
export const BATCH_VENDOR = 'io.webcube';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const str = (max: number) => z.string().min(1).max(max);

export const batchEventSchema = z.object({
  event_id: str(128).optional(),
  event_type: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'event_type must be 1–128 letters, digits, _ or -'),
  user_id: str(255).optional(),
  session_id: str(128).optional(),
  anonymous_id: str(128).optional(),
  timestamp: z.union([z.number().int(), z.string().min(1).max(64)]),
  properties: z.record(z.string(), z.unknown()).optional(),
  app_id: str(255).optional(),
  platform: z.enum(['web', 'mob', 'pc', 'srv', 'app', 'tv', 'cnsl', 'iot', 'headset']).optional(),
  url: str(4096).optional(),
  page_title: str(2000).optional(),
  referrer: str(4096).optional(),
  user_agent: str(1000).optional(),
  ip: z.string().min(2).max(64).optional(),
});

export type BatchEvent = z.infer<typeof batchEventSchema>;

export const batchBodySchema = z.object({
  app_id: str(255).optional(),
  events: z.array(z.unknown()).min(1, 'events must not be empty').max(BATCH_MAX_EVENTS, `at most ${BATCH_MAX_EVENTS} events per batch`),
});

/** Milliseconds since the epoch from an ISO 8601 string or a millisecond number. */
export function batchTimestamp(t: number | string): number | string {
  const ms = typeof t === 'number' ? t : /^\d+$/.test(t) ? Number(t) : Date.parse(t);
  if (!Number.isFinite(ms)) return 'timestamp must be ISO 8601 or milliseconds since the epoch';
  // 1e11 ms is 1973; smaller numbers are almost surely seconds, which would land events in 1970.
  if (ms < 1e11) return 'timestamp looks like seconds; send milliseconds since the epoch or ISO 8601';
  return ms;
}

/** Maps one validated batch event onto tracker parameters. */
export function batchEventToParams(e: BatchEvent, batchAppId: string | undefined, ms: number): Record<string, string> {
  const eventId = e.event_id === undefined ? uuidFromText(`batch/${JSON.stringify(e)}`)
    : UUID.test(e.event_id) ? e.event_id.toLowerCase() : uuidFromText(`batch-id/${e.event_id}`);
  const params: Record<string, string> = { tv: 'webcube-batch-1', p: e.platform ?? 'srv', eid: eventId, dtm: String(ms), ttm: String(ms) };
  const appId = e.app_id ?? batchAppId;
  if (appId) params.aid = appId;
  if (e.user_id) params.uid = e.user_id;
  if (e.anonymous_id) params.duid = e.anonymous_id;
  // domain_sessionid must be a UUID; other session ids map onto a stable UUID of their own.
  if (e.session_id) params.sid = UUID.test(e.session_id) ? e.session_id.toLowerCase() : uuidFromText(`session/${e.session_id}`);
  if (e.url) params.url = e.url;
  if (e.page_title) params.page = e.page_title;
  if (e.referrer) params.refr = e.referrer;
  if (e.user_agent) params.ua = e.user_agent;
  if (e.ip) params.ip = e.ip;
  if (e.event_type === 'page_view') {
    params.e = 'pv';
    if (e.properties && Object.keys(e.properties).length > 0) {
      params.cx = encodeBase64Url(JSON.stringify({
        schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1',
        data: [{ schema: `iglu:${BATCH_VENDOR}/properties/jsonschema/1-0-0`, data: e.properties }],
      }));
    }
  } else {
    params.e = 'ue';
    params.ue_px = encodeBase64Url(JSON.stringify({
      schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0',
      data: { schema: `iglu:${BATCH_VENDOR}/${e.event_type}/jsonschema/1-0-0`, data: e.properties ?? {} },
    }));
  }
  return params;
}
