// Writes bad rows from an import as NDJSON files under bad/dt=YYYY-MM-DD/, one file per day per call.
import { randomUUID } from 'node:crypto';
import type { BadRow } from '../storage/index.ts';
import type { Sink } from '../sinks/sink.ts';
import { badKey } from '../storage/part-name.ts';

export async function writeBadRows(sink: Sink, rows: readonly BadRow[]): Promise<number> {
  const byDay = new Map<string, BadRow[]>();
  for (const r of rows) {
    const dt = new Date(Number.isFinite(r.time) ? r.time : Date.now()).toISOString().slice(0, 10);
    let list = byDay.get(dt);
    if (!list) byDay.set(dt, (list = []));
    list.push(r);
  }
  for (const [dt, list] of byDay) {
    const first = Math.min(...list.map((r) => r.time));
    const body = list.map((r) => JSON.stringify({ raw: r.raw, reason: r.reason, time: r.time, source: r.source ?? null })).join('\n');
    await sink.putBytes(badKey(dt, first, randomUUID()), `${body}\n`);
  }
  return rows.length;
}
