// The loader's per-batch dedupe bookkeeping, now and before, in the same run: a partition with a
// history of HISTORY keys takes BATCHES batches of BATCH new keys. Before: the loader's own DuckDB
// index (DedupeIndex) and two plain checkpoint writes. Now: the partition's history in the sink
// (PartitionDedupe: a new-keys Parquet file, merges, two create-only checkpoint versions). Also the
// cost the new design adds once per partition move: loading the history from the sink.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openLocalSink } from '../collector/src/sinks/local.ts';
import { openWriterDb } from '../collector/src/storage/event-store.ts';
import { DedupeIndex } from '../collector/src/storage/dedupe-index.ts';
import { PartitionDedupe } from '../collector/src/loader/partition-dedupe.ts';
import { checkpointKey, idsPrefix, publishCheckpoint, readCheckpoint } from '../collector/src/loader/partition-checkpoint.ts';

const HISTORY = Number(process.env.WEBCUBE_BENCH_DEDUPE_HISTORY ?? 1_000_000);
const BATCH = 2000;
const BATCHES = 40;
const limits = { windowMs: 86_400_000, maxIds: 4_000_000 };

const stage = (conn: DuckDBConnection, from: number, n: number) =>
  conn.run(`CREATE OR REPLACE TEMP TABLE wc_stage AS SELECT md5_number(i::VARCHAR) AS _k FROM range(${from}, ${from + n}) r(i)`);

export interface DedupeCost { readonly perBatchMs: number; readonly beforeMs: number; readonly takeoverMs: number; readonly history: number }

export async function dedupeCost(): Promise<DedupeCost> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-bench-dedupe-'));
  try {
    const sink = await openLocalSink(join(dir, 'data'));
    const key = checkpointKey('bench', 'topic', 0);
    const t0 = Date.now();

    const before = await openWriterDb(join(dir, 'before.duckdb'));
    const index = await DedupeIndex.open(before.conn, limits);
    await stage(before.conn, 0, HISTORY);
    await index.commit('history', 'wc_stage', t0, true);
    let start = performance.now();
    for (let b = 0; b < BATCHES; b++) {
      await stage(before.conn, HISTORY + b * BATCH, BATCH);
      await index.countSeen('wc_stage');
      await sink.putBytes('loader/before.json', JSON.stringify({ next: String(b), pending: { from: String(b), to: String(b) } }));
      await index.commit(`s${b}`, 'wc_stage', t0 + b + 1, true);
      await sink.putBytes('loader/before.json', JSON.stringify({ next: String(b + 1) }));
      await index.forget(`s${b}`);
    }
    const beforeMs = (performance.now() - start) / BATCHES;
    before.conn.closeSync(); before.db.closeSync();

    const now = await openWriterDb(join(dir, 'now.duckdb'));
    const dedupe = new PartitionDedupe(now.conn, sink, dir, limits, 0, idsPrefix(key));
    const batch = async (name: string, from: number, n: number, t: number) => {
      const cp = await readCheckpoint(sink, key);
      await dedupe.sync(cp?.ids);
      await stage(now.conn, from, n);
      await dedupe.countSeen('wc_stage');
      const started = await publishCheckpoint(sink, key, cp, { next: name, pending: { from: name, to: name }, ...(cp?.ids ? { ids: cp.ids } : {}) });
      const ids = await dedupe.prepare('wc_stage', true, name, t);
      const done = await publishCheckpoint(sink, key, { ...cp, next: name, seq: (cp?.seq ?? 0) + 1 }, { next: name, ...(ids ? { ids } : {}) });
      if (!started || !done) throw new Error('bench: a checkpoint publish was refused');
      await dedupe.applied(ids);
    };
    await batch('history', 0, HISTORY, t0);
    start = performance.now();
    for (let b = 0; b < BATCHES; b++) await batch(`b${b}`, HISTORY + b * BATCH, BATCH, t0 + b + 1);
    const perBatchMs = (performance.now() - start) / BATCHES;
    now.conn.closeSync(); now.db.closeSync();

    // Another loader is given the partition: it loads the history from the sink.
    const other = await openWriterDb(join(dir, 'other.duckdb'));
    const takeover = new PartitionDedupe(other.conn, sink, dir, limits, 0, idsPrefix(key));
    start = performance.now();
    await takeover.sync((await readCheckpoint(sink, key))?.ids);
    const takeoverMs = performance.now() - start;
    const history = await takeover.size();
    other.conn.closeSync(); other.db.closeSync();
    await sink.close();
    return { perBatchMs, beforeMs, takeoverMs, history };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
