// One line of a tracker-payload history file → the tp2 parameter maps it holds and their
// original collector metadata. Accepted shapes (one JSON object per line):
//   {"collector_tstamp": 1700000000000 | "2023-11-14T22:13:20Z", "body": {payload_data POST body}}
//   {"collector_tstamp": …, "querystring": "e=pv&url=…"}      (a GET / pixel request)
//   {"collector_tstamp": …, "data": {tp2 parameters of one event}}
//   {tp2 parameters of one event}                              (time from stm, then dtm)
// Optional on the wrapper: ip, useragent, network_userid (or nuid), headers, source.
import type { EventMeta } from '../process-event.ts';

export interface Tp2Record { readonly events: Record<string, string>[]; readonly meta: EventMeta }

const toMs = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : Date.parse(String(v)));

export function parseTp2Line(line: string): Tp2Record | { reason: string } {
  let obj: unknown;
  try { obj = JSON.parse(line); } catch { return { reason: 'not a JSON object' }; }
  if (typeof obj !== 'object' || obj === null || Array.isArray(obj)) return { reason: 'not a JSON object' };
  const o = obj as Record<string, unknown>;
  let events: unknown[];
  if (o.body !== undefined) {
    const body = typeof o.body === 'string' ? JSON.parse(o.body) as unknown : o.body;
    const data = (body as { data?: unknown })?.data;
    if (!Array.isArray(data)) return { reason: 'body: payload_data needs a data array' };
    events = data;
  } else if (typeof o.querystring === 'string') {
    events = [Object.fromEntries(new URLSearchParams(o.querystring.replace(/^\?/, '')))];
  } else if (o.data !== undefined && typeof o.data === 'object' && !Array.isArray(o.data)) {
    events = [o.data];
  } else if (typeof o.e === 'string') {
    events = [o];
  } else {
    return { reason: 'expected body, querystring, data or a tp2 event' };
  }
  const first = events[0] as Record<string, unknown> | undefined;
  const tstamp = toMs(o.collector_tstamp ?? o.tstamp ?? o.timestamp ?? first?.stm ?? first?.dtm);
  if (!Number.isFinite(tstamp)) return { reason: 'collector_tstamp: missing or not a timestamp' };
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  const meta: EventMeta = {
    collectorTstamp: tstamp,
    ip: str(o.ip), useragent: str(o.useragent ?? o.user_agent), networkUserId: str(o.network_userid ?? o.nuid),
    headers: typeof o.headers === 'object' && o.headers !== null ? o.headers as Record<string, string> : undefined,
    source: str(o.source) ?? 'import',
  };
  return { events: events as Record<string, string>[], meta };
}
