// A sealed spool segment → its enriched events and bad rows, pulled a batch of events at a time so
// the Parquet writer can stream them. Raw request lines are validated and enriched here (after the
// ack, off the request path); other lines, enriched events or {"bad": …} rows written by the pixel
// and batch endpoints or by a version before raw records, are passed on as they are, so a crash
// replay reads either.
import type { AtomicEvent } from '../atomic/columns.ts';
import { makeBadRow } from '../protocol/bad-row.ts';
import { decodeRawRecord, isRawRecord, type RawRecord } from '../protocol/raw-record.ts';
import { enrichRawRecord, enrichRawRecordInto, rawRecordItems } from '../enrich-raw-record.ts';
import { eventObjectsTo, type EnrichContext, type EnrichedEventTarget } from '../process-event.ts';
import { toEpochMs } from './atomic-values.ts';
import { LineReader } from './line-reader.ts';

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
  private held: RawRecord | undefined;
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
        target.add(this.pending[this.pendingAt++]!);
        added += 1;
        continue;
      }
      const record = this.held ?? this.nextRecord();
      this.held = undefined;
      if (record === null) break;
      if (record === undefined) continue;
      if (rawRecordItems(record) <= max - added) {
        added += this.enrichInto(record, target);
      } else if (added > 0) {
        this.held = record;
        break;
      } else {
        this.pending = this.enrichToObjects(record);
        this.pendingAt = 0;
      }
    }
    return added;
  }

  /** The next raw record; undefined when the line was something else (dealt with here), null at the end. */
  private nextRecord(): RawRecord | undefined | null {
    const line = this.lines.next();
    if (line === undefined) return null;
    if (isRawRecord(line)) {
      const record = decodeRawRecord(line);
      // Only a crash tears a line, and only the last; any other unreadable record was acknowledged
      // (its body passed the request path's check), so it is kept as a bad row, not dropped.
      if (!record && !this.lines.unterminated) this.unreadable(line);
      return record;
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

  /** Returns how many good events went to `target`. */
  private enrichInto(record: RawRecord, target: EnrichedEventTarget): number {
    const { good, bad } = enrichRawRecordInto(record, this.ctx, target);
    this.counted(record, good, bad.length);
    for (const b of bad) this.onBad(JSON.stringify({ bad: b }));
    return good;
  }

  private enrichToObjects(record: RawRecord): AtomicEvent[] {
    const r = enrichRawRecord(record, this.ctx);
    this.counted(record, r.good.length, r.bad.length);
    for (const b of r.bad) this.onBad(JSON.stringify({ bad: b }));
    return r.good;
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
  const target = eventObjectsTo(out.good);
  while (enricher.fill(target, 4096) > 0) { /* drain */ }
  return enricher.result();
}
