// The benchmarks' shared event data: demo-shaped traffic from collector/src/demo/bulk-events.ts,
// 90 days ending on a fixed day, generated once per size into
// <WEBCUBE_BENCH_DIR or tmp>/webcube-bench/events-<N>/ and reused by every later run (a
// `.complete` marker is written last, so an interrupted generation starts over).
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBulkEvents } from '../collector/src/demo/bulk-events.ts';

const DAY = 86_400_000;
export const DATASET_DAYS = 90;
/** A fixed last day keeps a cached data set valid whatever day the benchmark runs. */
export const DATASET_END_MS = Date.UTC(2026, 9, 31);

export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** The last `days` days of the data set, as a Cube dateRange. */
export function lastDays(days: number): [string, string] {
  return [isoDay(DATASET_END_MS - (days - 1) * DAY), isoDay(DATASET_END_MS)];
}

export const sizeLabel = (events: number) => (events >= 1e6 ? `${events / 1e6}M` : events.toLocaleString('en-US'));

export const progress = (msg: string) => process.stderr.write(`  [${new Date().toISOString().slice(11, 19)}] ${msg}\n`);

/** The data directory (its `events/` holds the Parquet files) for `events` events. */
export async function benchDataset(events: number): Promise<string> {
  const dir = join(process.env.WEBCUBE_BENCH_DIR ?? join(tmpdir(), 'webcube-bench'), `events-${events}`);
  const marker = join(dir, '.complete');
  try { await access(marker); return dir; } catch { /* generate below */ }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const t = Date.now();
  await generateBulkEvents({
    dataDir: dir, events, days: DATASET_DAYS, endMs: DATASET_END_MS,
    onDay: (day, done, total) => {
      if (done % 10 === 0 || done === total) progress(`generating ${sizeLabel(events)} events: day ${done}/${total} (${day}), ${Math.round((Date.now() - t) / 1000)} s`);
    },
  });
  await writeFile(marker, new Date().toISOString());
  return dir;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Milliseconds of `fn`, best of two runs after a warm-up (file metadata, JIT and OS cache warm). */
export async function bestOfTwoWarm(what: string, fn: () => Promise<unknown>): Promise<number> {
  const times = [await timed(fn), await timed(fn), await timed(fn)];
  progress(`${what}: ${times.map(Math.round).join(', ')} ms (first is the warm-up)`);
  return Math.min(...times.slice(1));
}
