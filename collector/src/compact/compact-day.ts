// Merges one day's small event files into a few large ones, safe while the collector writes.
//
// Protocol (a per-day lock object keeps compactors — cron, the collector's background run —
// from merging the same files twice; a lock older than an hour is taken over):
//  1. finish or undo earlier interrupted runs: if all outputs of a manifest exist, delete its
//     remaining inputs (roll forward); otherwise delete its partial outputs and the manifest;
//  2. pick the visible files below the target size, merge them with DuckDB into staging;
//     check the merged row count equals the inputs';
//  3. write the manifest {inputs, outputs} — before any output is visible;
//  4. publish the outputs (rename / single PUT), then delete the inputs;
//  5. keep the manifest as a tombstone (compact-command drops them after 7 days).
// Guarantees: no event is ever absent (inputs go only after every output is visible); readers
// using listVisibleEventFiles (manifest-aware) count each event exactly once at every moment;
// plain glob readers can double count only between steps 4a and 4b (the deletes right after the
// last publish). A collector replaying a crashed spool skips names listed as manifest inputs, so
// a merged-away file is never written back. New files the collector adds meanwhile are not
// touched: only the files listed in step 2 are merged.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { hostname } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { quoteLiteral, columnList } from '../storage/atomic-sql.ts';
import { compactTimestamp, eventsKey } from '../storage/part-name.ts';
import { readManifests, writeManifest, manifestKey } from './manifest.ts';
import { visibleParts } from './visible-parts.ts';
import {
  copyKey, dayPrefix, directParts, generationPrefix, liveDayFiles, newGenerationName, readPointer, writePointer, type GenerationPointer,
} from './generations.ts';
import { scheduleGarbage } from './garbage.ts';
import type { PartitionSwap } from './partition-swap.ts';

export interface CompactDayResult {
  readonly dt: string; readonly inputs: number; readonly outputs: number; readonly rows: number;
  /** Another compactor holds the day's lock; nothing was done. */
  readonly busy?: true;
  /** Why the day was left alone (an engine does not know its partition yet). */
  readonly skipped?: string;
}

const LOCK_STALE_MS = 3_600_000;
const lockKey = (dt: string): string => `events/_compaction/dt=${dt}.lock`;

async function takeLock(sink: Sink, dt: string): Promise<boolean> {
  const body = JSON.stringify({ created: Date.now(), pid: process.pid, host: hostname() });
  if (await sink.putIfAbsent(lockKey(dt), body)) return true;
  const held = await sink.getBytes(lockKey(dt));
  let created = 0;
  try { created = held ? Number((JSON.parse(Buffer.from(held).toString('utf8')) as { created?: number }).created ?? 0) : 0; } catch { /* unreadable: stale */ }
  if (Date.now() - created < LOCK_STALE_MS) return false;
  await sink.delete([lockKey(dt)]);
  return sink.putIfAbsent(lockKey(dt), body);
}

/** Runs `work` holding the day's lock (shared by compaction, retention and erasure); 'busy' if another holds it. */
export async function withDayLock<T>(sink: Sink, dt: string, work: () => Promise<T>): Promise<T | 'busy'> {
  if (!(await takeLock(sink, dt))) return 'busy';
  try {
    return await work();
  } finally {
    await sink.delete([lockKey(dt)]);
  }
}

export interface GenerationOptions {
  /** The engines' partitions to swap; empty: the manifest protocol above (DuckDB only). */
  readonly swaps: readonly PartitionSwap[];
  readonly graceMs: number;
}

/** A day once swapped to a generation stays on generations, with or without engines to swap. */
export async function compactDay(sink: Sink, conn: DuckDBConnection, dt: string, targetBytes: number, gen: GenerationOptions): Promise<CompactDayResult> {
  const r = await withDayLock(sink, dt, async () => (gen.swaps.length > 0 || await readPointer(sink, dt)
    ? compactGeneration(sink, conn, dt, targetBytes, gen) : compactLocked(sink, conn, dt, targetBytes)));
  return r === 'busy' ? { dt, inputs: 0, outputs: 0, rows: 0, busy: true } : r;
}

const count = async (conn: DuckDBConnection, files: readonly string[]): Promise<number> =>
  Number((await conn.runAndReadAll(`SELECT count(*) FROM read_parquet([${files.map(quoteLiteral).join(', ')}])`)).getRows()[0]![0]);

/** Finishes (outputs all present) or undoes (some missing) the day's interrupted manifests. */
export async function recover(sink: Sink, dt: string): Promise<void> {
  const present = new Set(await sink.list(`events/dt=${dt}/`));
  for (const m of await readManifests(sink, dt)) {
    if (m.generation) continue;
    if (m.outputs.every((o) => present.has(o))) {
      const left = m.inputs.filter((i) => present.has(i));
      if (left.length > 0) await sink.delete(left);
    } else {
      await sink.delete(m.outputs.filter((o) => present.has(o)));
      await sink.delete([manifestKey(m.id)]);
    }
  }
}

/** Merges `inputs` (keys) into files of about targetBytes in `work`; checks the row count. */
async function mergeFiles(sink: Sink, conn: DuckDBConnection, dt: string, inputs: readonly string[], work: string, targetBytes: number):
  Promise<{ rows: number; outputs: { file: string; name: string }[] }> {
  await mkdir(join(work, 'in'), { recursive: true });
  const local: string[] = [];
  for (const [i, key] of inputs.entries()) {
    const path = sink.localPath(key) ?? join(work, 'in', `${i}.parquet`);
    if (!sink.localPath(key)) await sink.download(key, path);
    local.push(path);
  }
  const outDir = join(work, 'out');
  await conn.run(`COPY (SELECT ${columnList} FROM read_parquet([${local.map(quoteLiteral).join(', ')}]) ORDER BY collector_tstamp) TO ${quoteLiteral(outDir)}
    (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${Math.trunc(targetBytes)}, FILENAME_PATTERN 'f{i}')`);
  const produced = (await readdir(outDir)).sort().map((f) => join(outDir, f));
  const rows = await count(conn, local);
  const merged = await count(conn, produced);
  if (rows !== merged) throw new Error(`compaction of dt=${dt}: merged ${merged} rows from ${rows}; nothing changed`);
  const outputs: { file: string; name: string }[] = [];
  for (const file of produced) {
    const first = Number((await conn.runAndReadAll(`SELECT epoch_ms(min(collector_tstamp)) FROM read_parquet(${quoteLiteral(file)})`)).getRows()[0]![0]);
    outputs.push({ file, name: basename(eventsKey(dt, first, randomUUID())) });
  }
  return { rows, outputs };
}

/** Undoes a swap that stopped midway: the partitions go back to the current generation. */
async function recoverGeneration(sink: Sink, dt: string, swaps: readonly PartitionSwap[]): Promise<GenerationPointer | undefined> {
  const p = await readPointer(sink, dt);
  if (!p?.next) return p;
  for (const s of swaps) await s.swap(dt, p.current);
  await sink.delete(await sink.list(generationPrefix(dt, p.next)));
  const back = { current: p.current };
  await writePointer(sink, dt, back);
  return back;
}

/**
 * The generation protocol (partition-swap.ts has the why), under the day's lock:
 *  1. undo an interrupted swap; merge the small live files into staging;
 *  2. write the merged files into a new generation folder, then the pointer's "next" (from here
 *     the collector waits for the lock before its write of this day counts);
 *  3. list the day again and copy every live file not merged into the new folder (same name);
 *  4. point every engine's partition at it, then the pointer's "current" (DuckDB);
 *  5. leave the replaced files to collectGarbage, after the grace period.
 */
async function compactGeneration(sink: Sink, conn: DuckDBConnection, dt: string, targetBytes: number, o: GenerationOptions): Promise<CompactDayResult> {
  await recover(sink, dt);
  for (const s of o.swaps) {
    try {
      await s.check(dt);
    } catch (e) {
      return { dt, inputs: 0, outputs: 0, rows: 0, skipped: (e as Error).message };
    }
  }
  const before = await recoverGeneration(sink, dt, o.swaps);
  const live = await liveDayFiles(sink, dt, before);
  const sizes = new Map((await sink.listSizes(dayPrefix(dt))).map((s) => [s.key, s.size]));
  const inputs = live.filter((k) => (sizes.get(k) ?? 0) < targetBytes / 2);
  if (inputs.length < 2) return { dt, inputs: 0, outputs: 0, rows: 0 };
  const work = join(sink.stagingDir, `compact-${randomUUID()}`);
  try {
    const { rows, outputs } = await mergeFiles(sink, conn, dt, inputs, work, targetBytes);
    const gen = newGenerationName(Date.now());
    const prefix = generationPrefix(dt, gen);
    const id = `${dt}-${compactTimestamp(Date.now())}-${randomUUID()}`;
    await writeManifest(sink, { id, dt, created: Date.now(), inputs, outputs: outputs.map((x) => `${prefix}${x.name}`), generation: gen });
    for (const x of outputs) await sink.putFile(x.file, `${prefix}${x.name}`);
    await writePointer(sink, dt, { current: before?.current ?? null, next: gen });
    const merged = new Set(inputs.map((k) => basename(k)));
    const now = await liveDayFiles(sink, dt, before);
    for (const k of now) if (!merged.has(basename(k))) await copyKey(sink, k, `${prefix}${basename(k)}`);
    for (const s of o.swaps) await s.swap(dt, gen);
    await writePointer(sink, dt, { current: gen });
    // Everything the engines and DuckDB no longer read: the old generation and the day folder's own files.
    const listed = await sink.list(dayPrefix(dt));
    // (A file the collector put in the day folder after step 3 is adopted by it after the lock goes: kept.)
    const inNew = new Set([...merged, ...now.map((k) => basename(k))]);
    const replaced = [...new Set([...directParts(listed, dayPrefix(dt)).filter((k) => inNew.has(basename(k))),
      ...(before?.current ? directParts(listed, generationPrefix(dt, before.current)) : [])])];
    await scheduleGarbage(sink, replaced, Date.now() + o.graceMs);
    return { dt, inputs: inputs.length, outputs: outputs.length, rows };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function compactLocked(sink: Sink, conn: DuckDBConnection, dt: string, targetBytes: number): Promise<CompactDayResult> {
  await recover(sink, dt);
  const sized = await sink.listSizes(`events/dt=${dt}/`);
  const visible = new Set(visibleParts(sized.map((s) => s.key), await readManifests(sink, dt)));
  const inputs = sized.filter((s) => visible.has(s.key) && s.key.endsWith('.parquet') && s.size < targetBytes / 2).map((s) => s.key);
  if (inputs.length < 2) return { dt, inputs: 0, outputs: 0, rows: 0 };

  const work = join(sink.stagingDir, `compact-${randomUUID()}`);
  await mkdir(join(work, 'in'), { recursive: true });
  try {
    const local: string[] = [];
    for (const [i, key] of inputs.entries()) {
      const path = sink.localPath(key) ?? join(work, 'in', `${i}.parquet`);
      if (!sink.localPath(key)) await sink.download(key, path);
      local.push(path);
    }
    const list = `[${local.map(quoteLiteral).join(', ')}]`;
    const outDir = join(work, 'out');
    await conn.run(`COPY (SELECT ${columnList} FROM read_parquet(${list}) ORDER BY collector_tstamp) TO ${quoteLiteral(outDir)}
      (FORMAT parquet, COMPRESSION zstd, FILE_SIZE_BYTES ${Math.trunc(targetBytes)}, FILENAME_PATTERN 'f{i}')`);
    const produced = (await readdir(outDir)).sort().map((f) => join(outDir, f));
    const rows = await count(conn, local);
    const merged = await count(conn, produced);
    if (rows !== merged) throw new Error(`compaction of dt=${dt}: merged ${merged} rows from ${rows}; nothing changed`);
    const outputs: { file: string; key: string }[] = [];
    for (const file of produced) {
      const first = Number((await conn.runAndReadAll(`SELECT epoch_ms(min(collector_tstamp)) FROM read_parquet(${quoteLiteral(file)})`)).getRows()[0]![0]);
      outputs.push({ file, key: eventsKey(dt, first, randomUUID()) });
    }
    const id = `${dt}-${compactTimestamp(Date.now())}-${randomUUID()}`;
    await writeManifest(sink, { id, dt, created: Date.now(), inputs, outputs: outputs.map((o) => o.key) });
    for (const o of outputs) await sink.putFile(o.file, o.key);
    await sink.delete(inputs);
    return { dt, inputs: inputs.length, outputs: outputs.length, rows };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
