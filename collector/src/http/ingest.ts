// The step between receive and spool: process each event, then append good events and bad rows
// in one store call, which resolves after fsync (tp2 spools the raw request instead). A full
// store becomes 503 + Retry-After.
import type { AtomicEvent } from '../atomic/columns.ts';
import { overloaded } from '../errors.ts';
import type { CollectorMetrics } from '../metrics.ts';
import type { BadRow } from '../protocol/bad-row.ts';
import { processRequestEvent, RequestEnrichment, type EnrichContext, type EventMeta } from '../process-event.ts';
import type { EventStore } from '../storage/index.ts';
import { rejectedEvents } from '../log-rejected.ts';

let lastLogged = '';
/** A failing disk fails every request; one line per new message keeps the log readable. */
function logOnce(message: string): void {
  if (message === lastLogged) return;
  lastLogged = message;
  process.stderr.write(`${message}\n`);
}

export interface IngestResult { readonly accepted: number; readonly bad: readonly BadRow[] }

export async function ingest(
  events: readonly Readonly<Record<string, string>>[], preBad: readonly BadRow[], meta: EventMeta,
  ctx: EnrichContext, store: EventStore, metrics: CollectorMetrics,
): Promise<IngestResult> {
  const good: AtomicEvent[] = [];
  const bad: BadRow[] = [...preBad];
  const request = new RequestEnrichment(meta, ctx);
  for (const params of events) {
    const r = processRequestEvent(params, request);
    if (r.event) good.push(r.event);
    else if (r.bad) { bad.push(r.bad); rejectedEvents.note(r.bad.reason, r.bad.source); }
  }
  metrics.eventsReceived += events.length + preBad.length;
  await appendOrOverload(store, good, bad, metrics);
  metrics.eventsAccepted += good.length;
  metrics.eventsBad += bad.length;
  return { accepted: good.length, bad };
}

export async function appendOrOverload(store: EventStore, good: readonly AtomicEvent[], bad: readonly BadRow[], metrics: CollectorMetrics): Promise<void> {
  try {
    await store.append(good, bad);
  } catch (error) {
    overloadError(error, metrics);
  }
}

function overloadError(error: unknown, metrics: CollectorMetrics): never {
  metrics.rejectedOverload += 1;
  const retry = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  if (typeof retry === 'number') throw overloaded('the collector is at capacity; retry later', retry);
  // Any other storage failure (disk error, S3 outage) is transient from the tracker's view: retry, never drop.
  logOnce(`collector: store append failed: ${(error as Error).message}`);
  throw overloaded('storage is unavailable; retry later', 5);
}

/** Spools one raw request (validated and enriched later, at flush); resolves after fsync. */
export async function spoolRaw(store: EventStore, record: string, events: number, metrics: CollectorMetrics): Promise<void> {
  metrics.eventsReceived += events;
  try {
    await store.appendRaw(record, events);
  } catch (error) {
    overloadError(error, metrics);
  }
}

/** Records a request-level bad payload; a store failure here must not change the client's answer. */
export async function recordBad(store: EventStore, row: BadRow, metrics: CollectorMetrics): Promise<void> {
  metrics.eventsBad += 1;
  rejectedEvents.note(row.reason, row.source);
  try {
    await store.append([], [row]);
  } catch (error) {
    logOnce(`collector: could not record a bad row: ${(error as Error).message}`);
  }
}
