// Erasure speed: `forget` of a visitor present in every file of 5 days × 4 files (200,000 events)
// against the baseline of one plain DuckDB rewrite of the same files (the least an erasure that
// rewrites every file can cost). Retention of those days against deleting the files directly.
import { mkdtemp, mkdir, rm, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { runForget } from '../collector/src/lifecycle/forget.ts';
import { runRetention } from '../collector/src/lifecycle/retention-command.ts';
import type { BenchResult } from './run.ts';

const DAYS = 5;
const FILES = 4;
const PER_FILE = 10_000;

async function generate(root: string): Promise<string[]> {
  const db = await DuckDBInstance.create(':memory:', { threads: '2' });
  const conn = await db.connect();
  const files: string[] = [];
  try {
    for (let d = 0; d < DAYS; d++) {
      const dt = new Date(Date.UTC(2025, 0, 1 + d)).toISOString().slice(0, 10);
      await mkdir(join(root, 'events', `dt=${dt}`), { recursive: true });
      for (let f = 0; f < FILES; f++) {
        const file = join(root, 'events', `dt=${dt}`, `part-${dt.replaceAll('-', '')}T0${f}0000000Z-${randomUUID()}.parquet`);
        await conn.run(`COPY (SELECT uuid()::VARCHAR AS event_id, 'site' AS app_id, 'page_view' AS event,
            'u' || (i % 500)::VARCHAR AS user_id, md5(i::VARCHAR) AS domain_userid, 'https://example.com/p' || (i % 50)::VARCHAR AS page_url,
            TIMESTAMP '${dt} 0${f}:00:00' + to_milliseconds(i * 100) AS collector_tstamp
          FROM range(${PER_FILE}) t(i)) TO '${file}' (FORMAT parquet, COMPRESSION zstd)`);
        files.push(file);
      }
    }
  } finally { conn.closeSync(); db.closeSync(); }
  return files;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}

export async function bench(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'webcube-bench-lifecycle-'));
  const rows = DAYS * FILES * PER_FILE;
  try {
    const files = await generate(root);
    const out = join(root, 'baseline');
    await mkdir(out);
    const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
    const conn = await db.connect();
    const baseline = await timed(async () => {
      for (const [i, f] of files.entries()) await conn.run(`COPY (SELECT * FROM read_parquet('${f}') ORDER BY collector_tstamp) TO '${join(out, `${i}.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
    });
    conn.closeSync(); db.closeSync();
    await rm(out, { recursive: true });
    const env = { WEBCUBE_DATA_DIR: root, WEBCUBE_AUDIT_SALT: 'bench-salt-0123456789', WEBCUBE_FORGET_GRACE_S: '0', WEBCUBE_FORGET_SPOOL_WAIT_S: '0' };
    let removed = 0;
    const forget = await timed(async () => {
      const r = await runForget(env, { column: 'user_id', value: 'u7' });
      await r.cleanup;
      removed = r.totalRows;
    });
    if (removed !== rows / 500) throw new Error(`forget removed ${removed} rows, expected ${rows / 500}`);
    const listed = await timed(async () => {
      for (const day of await readdir(join(root, 'events'))) if (day.startsWith('dt=')) await readdir(join(root, 'events', day));
    });
    const retention = await timed(() => runRetention(env, 1, {}, Date.UTC(2030, 0, 1)));
    return [
      { name: `forget, ${rows.toLocaleString('en-US')} events in ${files.length} files`, value: rows / forget, unit: 'events/s', baseline: { name: 'DuckDB rewrite of every file', value: rows / baseline } },
      { name: `retention of ${DAYS} days`, value: retention * 1000, unit: 'ms', baseline: { name: 'listing the same days', value: Math.max(listed * 1000, 0.01) } },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
