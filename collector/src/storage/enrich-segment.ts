// A sealed spool segment → its enriched events and bad rows, pulled a batch of events at a time so
// the Parquet writer can stream them. Raw request lines are validated and enriched here (after the
// ack, off the request path); other lines, enriched events or {"bad": …} rows written by the pixel
// and batch endpoints or by a version before raw records, are passed on as they are, so a crash
// replay reads either. A record whose enrichment fails for any reason becomes one bad row and the
// segment goes on: a segment that fails as a whole is retried at every flush and after every restart,
// so one poison record would stop ingestion for good (issue #18).
import type { AtomicEvent } from '../atomic/columns.ts';
import { makeBadRow, type BadRow } from '../protocol/bad-row.ts';
import { decodeRawRecord, isRawRecord, type RawRecord } from '../protocol/raw-record.ts';
import { enrichRawRecord, enrichRawRecordInto, rawRecordItems } from '../enrich-raw-record.ts';
import { logFailure } from '../log-failure.ts';
import { rejectedEvents } from '../log-rejected.ts';
import { eventArrayTarget, type EnrichContext, type EnrichedEventTarget } from '../process-event.ts';
import { toEpochMs } from './atomic-values.ts';
import { LineReader } from './line-reader.ts';

/** A bad row's reason for an unforeseen failure; the message is cut (it may quote the input). */
function failureReason(error: unknown): string {
  return `enrichment_failure: ${(error instanceof Error ? error.message : String(error)).slice(0, 500)}`;
}

/** A raw record and the spool line it was read from (kept for its bad row should it fail). */
interface SpooledRecord { readonly record: RawRecord; readonly line: string }

export interface EnrichedSegment {
  /** Events in raw records (good and bad). */
  readonly received: number;
  readonly accepted: number;
  /** Bad rows produced by enrichment. */
  readonly bad: number;
  /** Bad rows are in the output (made here or copied). */
  readonly hasBad: boolean;
  /** The UTC day (YYYY-MM-DD) of every good event's collector_tstamp when they share one: the
   *  writer then makes one file without partitioning. */
  readonly dt?: string;
}

const DAY_MS = 86_400_000;

function dayOf(event: AtomicEvent): number {
  const ms = toEpochMs(event.collector_tstamp);
  return ms === undefined ? Number.NaN : Math.floor(ms / DAY_MS);
}

/** An enriched event line from a spool written before raw records; undefined for a torn line. */
function parseEnrichedLine(line: string): AtomicEvent | undefined {
  try {
    const v = JSON.parse(line) as unknown;
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? v as AtomicEvent : undefined;
  } catch {
    return undefined;
  }
}

export class SegmentEnricher {
  private readonly lines: LineReader;
  /** Good events as objects (older spool lines, a record bigger than a batch) not yet taken. */
  private pending: AtomicEvent[] = [];
  private pendingAt = 0;
  /** A raw record read that did not fit the last batch: it starts the next one. */
  private held: SpooledRecord | undefined;
  private received = 0;
  private accepted = 0;
  private bad = 0;
  private copiedBad = false;
  /** The one UTC day number seen so far; NaN once mixed or unknown. */
  private day: number | undefined;

  /** `onBad` gets each bad row as its spool line ({"bad": …}); `onRead`, after each raw record, the
   *  events read so far (good and bad), for the store's backlog. */
  constructor(inPath: string, private readonly ctx: EnrichContext, private readonly onBad: (line: string) => void,
    private readonly onRead?: (events: number) => void) {
    this.lines = new LineReader(inPath);
  }

  /** Adds up to `max` good events to `target`; fewer only at the end of the segment. A raw record's
   *  events go to the target as they are enriched, so a record is begun only when all its events fit. */
  fill(target: EnrichedEventTarget, max: number): number {
    let added = 0;
    while (added < max) {
      if (this.pendingAt < this.pending.length) {
        if (this.addPending(this.pending[this.pendingAt++]!, target)) added += 1;
        continue;
      }
      const read = this.held ?? this.nextRecord();
      this.held = undefined;
      if (read === null) break;
      if (read === undefined) continue;
      if (rawRecordItems(read.record) <= max - added) {
        added += this.enrichInto(read, target);
      } else if (added > 0) {
        this.held = read;
        break;
      } else {
        this.pending = this.enrichToObjects(read);
        this.pendingAt = 0;
      }
    }
    return added;
  }

  /** The next raw record; undefined when the line was something else (dealt with here), null at the end. */
  private nextRecord(): SpooledRecord | undefined | null {
    const line = this.lines.next();
    if (line === undefined) return null;
    if (isRawRecord(line)) {
      const record = decodeRawRecord(line);
      // Only a crash tears a line, and only the last; any other unreadable record was acknowledged
      // (its body passed the request path's check), so it is kept as a bad row, not dropped.
      if (!record && !this.lines.unterminated) this.unreadable(line);
      return record && { record, line };
    }
    if (line.startsWith('{"bad":')) {
      this.copiedBad = true;
      this.onBad(line);
      return undefined;
    }
    const event = parseEnrichedLine(line);
    // The writer dedupes by event_id; enrichment always sets one, an older line may lack it.
    if (event && event.event_id !== null && event.event_id !== undefined) {
      this.sameDay(dayOf(event));
      this.pending = [event];
      this.pendingAt = 0;
    }
    return undefined;
  }

  /** An event as an object (an older spool line, or a record bigger than a batch) to `target`; a
   *  value the target cannot take (an older line is not ours to trust) makes it a bad row. */
  private addPending(event: AtomicEvent, target: EnrichedEventTarget): boolean {
    const mark = target.rowCount;
    try {
      target.add(event);
      return true;
    } catch (error) {
      target.truncate(mark);
      logFailure('a spooled event could not be written (kept as a bad row)', error);
      const time = toEpochMs(event.collector_tstamp) ?? Date.now();
      let raw: string;
      try { raw = JSON.stringify(event); } catch { raw = '[an event that cannot be serialised]'; }
      this.bad += 1;
      this.onBad(JSON.stringify({ bad: makeBadRow(raw, failureReason(error), time, 'spool') }));
      return false;
    }
  }

  /** Returns how many good events went to `target`. */
  private enrichInto({ record, line }: SpooledRecord, target: EnrichedEventTarget): number {
    const mark = target.rowCount;
    let result;
    try {
      result = enrichRawRecordInto(record, this.ctx, target);
    } catch (error) {
      target.truncate(mark);
      this.failed(record, line, error);
      return 0;
    }
    this.counted(record, result.good, result.bad.length);
    for (const b of result.bad) this.rejected(b);
    return result.good;
  }

  private enrichToObjects({ record, line }: SpooledRecord): AtomicEvent[] {
    let r;
    try {
      r = enrichRawRecord(record, this.ctx);
    } catch (error) {
      this.failed(record, line, error);
      return [];
    }
    this.counted(record, r.good.length, r.bad.length);
    for (const b of r.bad) this.rejected(b);
    return r.good;
  }

  private rejected(row: BadRow): void {
    rejectedEvents.note(row.reason, row.source);
    this.onBad(JSON.stringify({ bad: row }));
  }

  /** A record whose enrichment threw: one bad row holding its spool line, counted as one bad event
   *  (its items are counted as read, for the backlog). */
  private failed(record: RawRecord, line: string, error: unknown): void {
    logFailure('enrichment failed on a spooled request (kept as a bad row)', error);
    this.received += rawRecordItems(record);
    this.bad += 1;
    this.onRead?.(this.received);
    // The record's metadata may be what failed: only its checked timestamp is trusted.
    const source = typeof record.m.src === 'string' ? record.m.src : 'tp2';
    this.onBad(JSON.stringify({ bad: makeBadRow(line, failureReason(error), record.m.t, source) }));
  }

  private counted(record: RawRecord, good: number, bad: number): void {
    this.received += good + bad;
    this.accepted += good;
    this.bad += bad;
    // A request's events share its collector_tstamp.
    if (good > 0) this.sameDay(Math.floor(record.m.t / DAY_MS));
    this.onRead?.(this.received);
  }

  private unreadable(line: string): void {
    const t = Number(/^\{"wc_raw":1,"m":\{"t":(\d+)/.exec(line)?.[1] ?? Date.now());
    this.bad += 1;
    this.onBad(JSON.stringify({ bad: makeBadRow(line, 'spool: unreadable raw record (the body is not valid JSON)', t, 'tp2') }));
  }

  private sameDay(d: number): void {
    if (this.day === undefined) this.day = d;
    else if (d !== this.day) this.day = Number.NaN;
  }

  /** The counts and day once every event was taken; closes the file. */
  result(): EnrichedSegment {
    this.lines.close();
    const day = this.day;
    const dt = day !== undefined && Number.isInteger(day) ? new Date(day * DAY_MS).toISOString().slice(0, 10) : undefined;
    return {
      received: this.received, accepted: this.accepted, bad: this.bad, hasBad: this.copiedBad || this.bad > 0,
      ...(dt !== undefined ? { dt } : {}),
    };
  }
}

/** The whole segment at once (tests, benchmarks). */
export function enrichSegment(inPath: string, out: { good(e: AtomicEvent): void; bad(line: string): void }, ctx: EnrichContext): EnrichedSegment {
  const enricher = new SegmentEnricher(inPath, ctx, out.bad);
  const events: AtomicEvent[] = [];
  const target = eventArrayTarget(events);
  while (enricher.fill(target, 4096) > 0) {
    for (const e of events) out.good(e);
    events.length = 0;
  }
  return enricher.result();
}
