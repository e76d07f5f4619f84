// A sealed spool segment → an NDJSON file of enriched events and bad rows, the format the Parquet
// writer reads. Raw request lines are validated and enriched here (after the ack, off the request
// path); older lines, already enriched events or {"bad": …} rows from a spool written before raw
// records existed, are copied as they are, so a crash replay reads either.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import { decodeRawRecord, isRawRecord } from '../protocol/raw-record.ts';
import { enrichRawRecord } from '../enrich-raw-record.ts';
import type { EnrichContext } from '../process-event.ts';
import { serialize } from './serialize.ts';

export interface EnrichedSegment {
  /** Events in raw records (good and bad). */
  readonly received: number;
  readonly accepted: number;
  /** Bad rows produced by enrichment. */
  readonly bad: number;
  /** Bad rows are in the output (made here or copied). */
  readonly hasBad: boolean;
  /** The UTC day (YYYY-MM-DD) of every good event's collector_tstamp when they share one and no
   *  older-format lines were copied: the writer then makes one file without partitioning. */
  readonly dt?: string;
}

const DAY_MS = 86_400_000;

const CHUNK = 4 * 1024 * 1024;

/** Calls `onLine` for each line of the file, reading it in chunks (segments can be hundreds of MB). */
function forEachLine(path: string, onLine: (line: string) => void): void {
  const fd = openSync(path, 'r');
  try {
    let carry = Buffer.alloc(0);
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, null);
      if (n === 0) break;
      const data = carry.length > 0 ? Buffer.concat([carry, buf.subarray(0, n)]) : buf.subarray(0, n);
      const last = data.lastIndexOf(0x0a);
      if (last < 0) { carry = Buffer.from(data); continue; }
      const text = data.toString('utf8', 0, last);
      carry = Buffer.from(data.subarray(last + 1));
      let start = 0;
      for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
        if (nl > start) onLine(text.slice(start, nl));
        start = nl + 1;
      }
      if (start < text.length) onLine(text.slice(start));
    }
    // A last line without its newline is torn (a crash mid-write; never acknowledged).
    if (carry.length > 0) onLine(carry.toString('utf8'));
  } finally {
    closeSync(fd);
  }
}

export function enrichSegment(inPath: string, outPath: string, ctx: EnrichContext): EnrichedSegment {
  const out = openSync(outPath, 'w');
  let pending = '';
  let received = 0, accepted = 0, bad = 0, copiedBad = false;
  // The one UTC day number seen so far; NaN once unknown (an older line) or mixed.
  let day: number | undefined;
  const write = (s: string) => {
    pending += s;
    if (pending.length >= 1024 * 1024) { writeSync(out, pending); pending = ''; }
  };
  try {
    forEachLine(inPath, (line) => {
      if (!isRawRecord(line)) {
        const isBad = line.startsWith('{"bad":');
        copiedBad ||= isBad;
        if (!isBad) day = Number.NaN;
        write(`${line}\n`);
        return;
      }
      const record = decodeRawRecord(line);
      if (!record) return;
      const r = enrichRawRecord(record, ctx);
      received += r.good.length + r.bad.length;
      accepted += r.good.length;
      bad += r.bad.length;
      for (const e of r.good) {
        const d = Math.floor((e.collector_tstamp as number) / DAY_MS);
        if (day === undefined) day = d;
        else if (d !== day) day = Number.NaN;
      }
      write(serialize(r.good, r.bad));
    });
    if (pending.length > 0) writeSync(out, pending);
  } finally {
    closeSync(out);
  }
  const dt = day !== undefined && Number.isInteger(day) ? new Date(day * DAY_MS).toISOString().slice(0, 10) : undefined;
  return { received, accepted, bad, hasBad: copiedBad || bad > 0, ...(dt !== undefined ? { dt } : {}) };
}
