// Turns NDJSON batch files (spool segments, import chunks) into zstd Parquet part files, one per
// dt, plus bad-row NDJSON files, through DuckDB; every output goes through the sink atomically.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { readSpoolSql, typedSelectList, columnList, quoteLiteral } from './atomic-sql.ts';
import { badKey, eventsKey, seededUuid, isDt } from './part-name.ts';
import type { DedupeIndex } from './dedupe-index.ts';

export interface BatchResult {
  readonly files: readonly string[];
  readonly eventsWritten: number;
  readonly duplicatesDropped: number;
  readonly badRows: number;
}

export interface BatchOptions {
  /** Names are derived from the seed: the same seed and rows give the same keys (idempotent replays). */
  readonly seed: string;
  /** Drop rows whose key is in the index (and duplicates within the batch); none for raw imports. */
  readonly dedupe?: DedupeIndex;
  /** Within-batch dedupe without an index (import). */
  readonly dedupeWithinBatch?: boolean;
  readonly withBadRows: boolean;
  readonly nowMs: number;
}

const scalar = async (conn: DuckDBConnection, sql: string): Promise<number> =>
  Number((await conn.runAndReadAll(sql)).getRows()[0]![0] ?? 0);

/** Runs a partitioned COPY into a fresh staging dir; returns dt → produced local files. */
async function copyPartitioned(conn: DuckDBConnection, sink: Sink, select: string, format: string): Promise<Map<string, string[]>> {
  const dir = join(sink.stagingDir, `batch-${randomUUID()}`);
  await conn.run(`COPY (${select}) TO ${quoteLiteral(dir)} (${format}, PARTITION_BY (_dt), FILENAME_PATTERN 'f{i}')`);
  const out = new Map<string, string[]>();
  for (const entry of await readdir(dir)) {
    const dt = entry.replace(/^_dt=/, '');
    if (!isDt(dt)) throw new Error(`unexpected partition ${entry} in ${dir}`);
    out.set(dt, (await readdir(join(dir, entry))).sort().map((f) => join(dir, entry, f)));
  }
  return out;
}

async function cleanup(files: Map<string, string[]>): Promise<void> {
  const dirs = new Set<string>();
  for (const list of files.values()) for (const f of list) dirs.add(join(f, '..', '..'));
  for (const d of dirs) await rm(d, { recursive: true, force: true });
}

async function publish(sink: Sink, produced: Map<string, string[]>, firstByDt: Map<string, number>, seed: string,
  keyOf: (dt: string, first: number, uuid: string) => string): Promise<string[]> {
  const keys: string[] = [];
  try {
    for (const [dt, files] of produced) {
      for (const [i, file] of files.entries()) {
        const key = keyOf(dt, firstByDt.get(dt) ?? 0, seededUuid(`${seed}/${dt}/${i}`));
        await sink.putFile(file, key);
        keys.push(key);
      }
    }
  } finally {
    await cleanup(produced);
  }
  return keys;
}

async function firstPerDt(conn: DuckDBConnection, sql: string): Promise<Map<string, number>> {
  const rows = (await conn.runAndReadAll(sql)).getRows();
  return new Map(rows.map((r) => [String(r[0]), Number(r[1])]));
}

export async function writeBatch(conn: DuckDBConnection, sink: Sink, paths: readonly string[], o: BatchOptions): Promise<BatchResult> {
  const now = `epoch_ms(${Math.trunc(o.nowMs)}::BIGINT)`;
  const source = readSpoolSql(paths);
  await conn.run(`CREATE OR REPLACE TEMP TABLE wc_stage AS
    SELECT * REPLACE (coalesce(collector_tstamp, ${now}) AS collector_tstamp, coalesce(load_tstamp, ${now}) AS load_tstamp)
    FROM (SELECT ${typedSelectList}, row_number() OVER () AS _rn FROM ${source} WHERE event_id IS NOT NULL)`);
  const staged = await scalar(conn, 'SELECT count(*) FROM wc_stage');
  const dedupe = o.dedupe !== undefined || o.dedupeWithinBatch === true;
  const keyed = dedupe ? `, md5_number(event_id || chr(0) || coalesce(event_fingerprint, '')) AS _k` : '';
  const where = o.dedupe ? `WHERE ${o.dedupe.unseenPredicate}` : '';
  const qualify = dedupe ? 'QUALIFY row_number() OVER (PARTITION BY _k ORDER BY _rn) = 1' : '';
  await conn.run(`CREATE OR REPLACE TEMP TABLE wc_kept AS
    SELECT * FROM (SELECT *${keyed}, strftime(collector_tstamp, '%Y-%m-%d') AS _dt FROM wc_stage) s ${where} ${qualify}`);
  await conn.run('DROP TABLE wc_stage');
  const kept = await scalar(conn, 'SELECT count(*) FROM wc_kept');
  let files: string[] = [];
  if (kept > 0) {
    const first = await firstPerDt(conn, 'SELECT _dt, epoch_ms(min(collector_tstamp)) FROM wc_kept GROUP BY 1');
    const produced = await copyPartitioned(conn, sink,
      `SELECT ${columnList}, _dt FROM wc_kept ORDER BY collector_tstamp, _rn`, 'FORMAT parquet, COMPRESSION zstd');
    files = await publish(sink, produced, first, o.seed, eventsKey);
  }
  let badRows = 0;
  if (o.withBadRows) {
    await conn.run(`CREATE OR REPLACE TEMP TABLE wc_bad AS
      SELECT bad.raw AS raw, bad.reason AS reason, coalesce(bad."time", ${Math.trunc(o.nowMs)}) AS "time", bad.source AS source
      FROM ${source} WHERE bad IS NOT NULL`);
    badRows = await scalar(conn, 'SELECT count(*) FROM wc_bad');
    if (badRows > 0) {
      const dtExpr = `strftime(epoch_ms("time"), '%Y-%m-%d')`;
      const first = await firstPerDt(conn, `SELECT ${dtExpr}, min("time") FROM wc_bad GROUP BY 1`);
      // COPY … (FORMAT json) has no PARTITION_BY; bad rows are few, so one COPY per day is fine.
      const produced = new Map<string, string[]>();
      const dir = join(sink.stagingDir, `batch-${randomUUID()}`);
      await mkdir(dir, { recursive: true });
      for (const dt of first.keys()) {
        if (!isDt(dt)) throw new Error(`unexpected bad-row day ${dt}`);
        await mkdir(join(dir, `_dt=${dt}`));
        const file = join(dir, `_dt=${dt}`, 'f0.ndjson');
        await conn.run(`COPY (SELECT * FROM wc_bad WHERE ${dtExpr} = '${dt}' ORDER BY "time") TO ${quoteLiteral(file)} (FORMAT json)`);
        produced.set(dt, [file]);
      }
      files = files.concat(await publish(sink, produced, first, `${o.seed}/bad`, badKey));
    }
    await conn.run('DROP TABLE wc_bad');
  }
  return { files, eventsWritten: kept, duplicatesDropped: staged - kept, badRows };
}
