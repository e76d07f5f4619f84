// One spooled raw tp2 request → its enriched events and bad rows: the per-item checks of the
// body, then processTrackerEvent per event with the metadata captured at receive time. Bad
// events get the same reasons as when this ran on the request path.
import type { AtomicEvent } from './atomic/columns.ts';
import { makeBadRow, type BadRow } from './protocol/bad-row.ts';
import { unpackTp2Items } from './protocol/parse-tp2.ts';
import type { RawRecord } from './protocol/raw-record.ts';
import {
  eventArrayTarget, processRequestEventInto, RequestEnrichment, type EnrichContext, type EnrichedEventTarget, type EventMeta,
} from './process-event.ts';

export interface EnrichedRequest { readonly good: AtomicEvent[]; readonly bad: BadRow[] }

export function rawRecordMeta(r: RawRecord): EventMeta {
  const m = r.m;
  return {
    collectorTstamp: m.t,
    ...(m.ip !== undefined ? { ip: m.ip } : {}),
    ...(m.ua !== undefined ? { useragent: m.ua } : {}),
    ...(m.nuid !== undefined ? { networkUserId: m.nuid } : {}),
    headers: { referer: m.refr, ...(m.anon !== undefined ? { 'sp-anonymous': m.anon } : {}) },
    source: m.src,
    ...(m.oo === 1 ? { optedOut: true } : {}),
  };
}

export function enrichRawRecord(r: RawRecord, ctx: EnrichContext): EnrichedRequest {
  const good: AtomicEvent[] = [];
  const { bad } = enrichRawRecordInto(r, ctx, eventArrayTarget(good));
  return { good, bad };
}

/** How many items the record's body holds: the events it will give (good or bad). */
export function rawRecordItems(r: RawRecord): number {
  const data = (r.body as { data?: unknown } | null)?.data;
  return Array.isArray(data) ? data.length : 1;
}

/** enrichRawRecord with the good events handed to `target` as they are made; returns how many
 *  went there, and the bad rows. */
export function enrichRawRecordInto(r: RawRecord, ctx: EnrichContext, target: EnrichedEventTarget): { good: number; bad: BadRow[] } {
  const data = (r.body as { data?: unknown } | null)?.data;
  // The envelope was checked before the ack; a record that fails it now was written by other code.
  if (!Array.isArray(data)) {
    return { good: 0, bad: [makeBadRow(JSON.stringify(r.body) ?? 'undefined', 'tracker_protocol_violation: data must be a non-empty array of events', r.m.t, r.m.src)] };
  }
  const query = r.m.q ? new URLSearchParams(r.m.q) : undefined;
  const { events, bad } = unpackTp2Items(data, query, r.m.t, r.m.src);
  const request = new RequestEnrichment(rawRecordMeta(r), ctx);
  let good = 0;
  for (const params of events) {
    const failed = processRequestEventInto(params, request, target);
    if (failed) bad.push(failed);
    else good += 1;
  }
  return { good, bad };
}
