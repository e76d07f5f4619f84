// Erasure in the event files: each day's visible files that hold the person's rows are rewritten
// without them, swapped in through a compaction manifest {inputs: old files, outputs: new files}
// written before any new file appears, so a manifest-aware reader sees the old file or the new
// one, never both and never neither. Old files stay for a grace period (queries that listed them
// finish) and are then deleted by the caller. Runs under the day's compaction lock, so a
// compactor never merges a file that is being rewritten; files the collector adds meanwhile are
// not touched.
import { randomUUID } from 'node:crypto';
import { mkdir, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { quoteIdent, quoteLiteral } from '../storage/atomic-sql.ts';
import { compactTimestamp, eventsKey } from '../storage/part-name.ts';
import { withDayLock, recover } from '../compact/compact-day.ts';
import { writeManifest } from '../compact/manifest.ts';
import { listVisibleEventFiles } from '../compact/visible-parts.ts';
import type { ForgetTarget } from './identity-match.ts';
import type { RemovedRows } from './audit-log.ts';

export interface ForgetEventsResult {
  readonly removed: readonly RemovedRows[];
  /** Superseded files, to delete after the grace period. */
  readonly replaced: readonly string[];
}

const LOCK_RETRY_MS = 500;
const LOCK_WAIT_MS = 10 * 60_000;

async function eventDays(sink: Sink): Promise<string[]> {
  const days = new Set<string>();
  for (const key of await sink.list('events/')) {
    const m = /^events\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key);
    if (m) days.add(m[1]!);
  }
  return [...days].sort();
}

const one = async (conn: DuckDBConnection, sql: string): Promise<number> =>
  Number((await conn.runAndReadAll(sql)).getRows()[0]![0]);

/** The person's value lives in a one-row table, so it reaches SQL as a bound parameter only. */
async function bindTarget(conn: DuckDBConnection, value: string): Promise<void> {
  await conn.run('CREATE OR REPLACE TEMP TABLE wc_forget (v VARCHAR)');
  await conn.run('INSERT INTO wc_forget VALUES ($1)', [value]);
}

async function rewriteDay(sink: Sink, conn: DuckDBConnection, dt: string, target: ForgetTarget): Promise<{ rows: number; inputs: string[] }> {
  await recover(sink, dt);
  const files = await listVisibleEventFiles(sink, dt);
  const work = join(sink.stagingDir, `forget-${randomUUID()}`);
  await mkdir(work, { recursive: true });
  try {
    const col = quoteIdent(target.column);
    const hit = `${col} IN (SELECT v FROM wc_forget)`;
    const inputs: string[] = [];
    const outputs: { file: string; key: string }[] = [];
    let removed = 0;
    for (const [i, key] of files.entries()) {
      const local = sink.localPath(key) ?? join(work, `in-${i}.parquet`);
      if (!sink.localPath(key)) await sink.download(key, local);
      const from = `read_parquet(${quoteLiteral(local)}, hive_partitioning = false)`;
      const hits = await one(conn, `SELECT count(*) FROM ${from} WHERE ${hit}`);
      if (hits === 0) continue;
      const before = await one(conn, `SELECT count(*) FROM ${from}`);
      inputs.push(key);
      removed += hits;
      if (before === hits) continue;
      const out = join(work, `out-${i}.parquet`);
      // SELECT * keeps the file's own column set (older files may lack newer columns).
      await conn.run(`COPY (SELECT * FROM ${from} WHERE NOT coalesce(${hit}, false) ORDER BY collector_tstamp) TO ${quoteLiteral(out)} (FORMAT parquet, COMPRESSION zstd)`);
      const kept = await one(conn, `SELECT count(*) FROM read_parquet(${quoteLiteral(out)})`);
      if (kept !== before - hits) throw new Error(`forget in dt=${dt}: rewrote ${key} with ${kept} rows instead of ${before - hits}; nothing changed`);
      const first = await one(conn, `SELECT epoch_ms(min(collector_tstamp)) FROM read_parquet(${quoteLiteral(out)})`);
      // Beside the file it replaces: the day folder, or the generation Presto/Trino read.
      outputs.push({ file: out, key: `${key.slice(0, key.lastIndexOf('/') + 1)}${basename(eventsKey(dt, first, randomUUID()))}` });
    }
    if (inputs.length === 0) return { rows: 0, inputs };
    await writeManifest(sink, {
      id: `${dt}-${compactTimestamp(Date.now())}-forget-${randomUUID()}`, dt, created: Date.now(), inputs, outputs: outputs.map((o) => o.key),
    });
    for (const o of outputs) await sink.putFile(o.file, o.key);
    return { rows: removed, inputs };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Rewrites every day that holds the person's rows; waits for a day another compactor holds. */
export async function forgetInEvents(sink: Sink, conn: DuckDBConnection, target: ForgetTarget): Promise<ForgetEventsResult> {
  await bindTarget(conn, target.value);
  const removed: RemovedRows[] = [];
  const replaced: string[] = [];
  for (const dt of await eventDays(sink)) {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const r = await withDayLock(sink, dt, () => rewriteDay(sink, conn, dt, target));
      if (r !== 'busy') {
        if (r.rows > 0) removed.push({ where: 'events', dt, rows: r.rows });
        replaced.push(...r.inputs);
        break;
      }
      if (Date.now() > deadline) throw new Error(`forget: dt=${dt} stayed locked by another compactor for ${LOCK_WAIT_MS / 60_000} minutes; run forget again`);
      await new Promise((res) => setTimeout(res, LOCK_RETRY_MS));
    }
  }
  return { removed, replaced };
}
