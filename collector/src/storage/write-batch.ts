// Turns a batch into zstd Parquet part files, one per dt, plus bad-row NDJSON files, through
// DuckDB; every output goes through the sink atomically. A batch is either NDJSON files (import
// chunks), read and typed in one pass to Parquet, or a Parquet file the enrichment worker already
// wrote (spool segments), published as it is when its rows share one day. The dedupe path stages
// only the keys, read back from the Parquet files.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { readSpoolSql, typedSelectList, quoteLiteral, dedupeKeySql } from './atomic-sql.ts';
import { badKey, eventsKey, seededUuid, isDt } from './part-name.ts';
import type { DedupeIndex } from './dedupe-index.ts';
import { adoptIntoGeneration } from '../compact/generations.ts';
import { withDayLock } from '../compact/compact-day.ts';

export interface BatchResult {
  readonly files: readonly string[];
  readonly eventsWritten: number;
  readonly duplicatesDropped: number;
  readonly badRows: number;
  /** Dedupe only: wc_stage's keys are distinct and none was seen, so commit() may skip its anti-join. */
  readonly keysAllNew: boolean;
}

export interface BatchOptions {
  /** Names are derived from the seed: the same seed and rows give the same keys (idempotent replays). */
  readonly seed: string;
  /** Drop rows whose key is in the index and repeats within the batch; leaves wc_stage for commit(). */
  readonly dedupe?: Pick<DedupeIndex, 'countSeen' | 'unseenPredicate'>;
  readonly withBadRows: boolean;
  readonly nowMs: number;
  /** True for a key that must not be written again (a spool replay of a file compaction merged away). */
  readonly skipKey?: (key: string) => Promise<boolean>;
  /** The caller's word that every event has its collector_tstamp on this UTC day (YYYY-MM-DD): the
   *  rows then go to one file without PARTITION_BY, which costs less. Checked against the file's
   *  statistics; a batch that does not fit is written partitioned after all. */
  readonly dt?: string;
  /** Called with the event files written, once they are in the sink (registers new days with engines). */
  readonly onEventFiles?: (keys: readonly string[]) => Promise<void>;
}

/** NDJSON files of enriched events and {"bad": …} rows, or an enriched segment's typed Parquet file
 *  (in the sink's staging dir: publishing consumes it) and its bad rows' NDJSON. */
export type BatchInput =
  | { readonly ndjson: readonly string[] }
  | { readonly parquet?: string; readonly badRows?: string };

interface Produced { readonly dt: string; readonly file: string; readonly index: number }

const isDtOption = (dt: string | undefined): dt is string => dt !== undefined && isDt(dt);

/** Runs a partitioned Parquet COPY into a fresh staging dir and lists what it produced. */
async function copyPartitioned(conn: DuckDBConnection, dir: string, select: string): Promise<Produced[]> {
  await conn.run(`COPY (${select}) TO ${quoteLiteral(dir)} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (_dt), FILENAME_PATTERN 'f{i}')`);
  const out: Produced[] = [];
  let entries: string[] = [];
  try {
    entries = await readdir(dir);
  } catch (error) {
    // DuckDB makes no folder for a COPY of zero rows.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return out;
    throw error;
  }
  for (const entry of entries.sort()) {
    const dt = entry.replace(/^_dt=/, '');
    if (!isDt(dt)) throw new Error(`unexpected partition ${entry} in ${dir}`);
    const files = (await readdir(join(dir, entry))).sort();
    files.forEach((f, index) => out.push({ dt, file: join(dir, entry, f), index }));
  }
  return out;
}

/** The same output as copyPartitioned for a batch whose rows are all on day `dt` (the partitioned
 *  writer's first file of a partition is f0), or undefined when they are not, or when the batch is
 *  empty (PARTITION_BY writes no file then). Parquet statistics answer the check from the footer. */
async function copyOneDay(conn: DuckDBConnection, dir: string, select: string, dt: string): Promise<Produced[] | undefined> {
  const partDir = join(dir, `_dt=${dt}`);
  await mkdir(partDir, { recursive: true });
  const file = join(partDir, 'f0.parquet');
  await conn.run(`COPY (SELECT * EXCLUDE (_dt) FROM (${select})) TO ${quoteLiteral(file)} (FORMAT parquet, COMPRESSION zstd)`);
  const [first, last, rows] = (await conn.runAndReadAll(`SELECT strftime(min(collector_tstamp), '%Y-%m-%d'), strftime(max(collector_tstamp), '%Y-%m-%d'), count(*)
    FROM read_parquet(${quoteLiteral(file)})`)).getRows()[0]!;
  if (Number(rows) > 0 && first === dt && last === dt) return [{ dt, file, index: 0 }];
  await rm(dir, { recursive: true, force: true });
  return Number(rows) === 0 ? [] : undefined;
}

/** A typed Parquet file whose rows are all on day `dt`, as copyOneDay's output; undefined otherwise. */
async function asOneDay(conn: DuckDBConnection, file: string, dt: string): Promise<Produced[] | undefined> {
  const [first, last, rows] = (await conn.runAndReadAll(`SELECT strftime(min(collector_tstamp), '%Y-%m-%d'), strftime(max(collector_tstamp), '%Y-%m-%d'), count(*)
    FROM read_parquet(${quoteLiteral(file)})`)).getRows()[0]!;
  return Number(rows) > 0 && first === dt && last === dt ? [{ dt, file, index: 0 }] : undefined;
}

/** Every row of the input as Parquet files by day: written from NDJSON, or the enriched file itself. */
async function stageAll(conn: DuckDBConnection, input: BatchInput, dir: string, o: BatchOptions): Promise<Produced[]> {
  if ('ndjson' in input) {
    const all = `SELECT *, strftime(collector_tstamp, '%Y-%m-%d') AS _dt
        FROM (SELECT ${typedSelectList(o.nowMs)} FROM ${readSpoolSql(input.ndjson)} WHERE event_id IS NOT NULL)`;
    return (isDtOption(o.dt) ? await copyOneDay(conn, dir, all, o.dt) : undefined) ?? await copyPartitioned(conn, dir, all);
  }
  if (input.parquet === undefined) return [];
  return (isDtOption(o.dt) ? await asOneDay(conn, input.parquet, o.dt) : undefined)
    ?? await copyPartitioned(conn, dir, `SELECT *, strftime(collector_tstamp, '%Y-%m-%d') AS _dt FROM read_parquet(${quoteLiteral(input.parquet)})`);
}

function badRowsSource(input: BatchInput): string | undefined {
  if ('ndjson' in input) return readSpoolSql(input.ndjson, 'bad');
  return input.badRows === undefined ? undefined : readSpoolSql([input.badRows], 'bad');
}

async function publishEvents(conn: DuckDBConnection, sink: Sink, produced: readonly Produced[], seed: string,
  skipKey: BatchOptions['skipKey']): Promise<{ keys: string[]; rows: number }> {
  const keys: string[] = [];
  let rows = 0;
  for (const p of produced) {
    // Parquet statistics answer both without scanning the data.
    const r = (await conn.runAndReadAll(`SELECT epoch_ms(min(collector_tstamp)), count(*) FROM read_parquet(${quoteLiteral(p.file)})`)).getRows()[0]!;
    const key = eventsKey(p.dt, Number(r[0]), seededUuid(`${seed}/${p.dt}/${p.index}`));
    rows += Number(r[1]);
    if (skipKey && await skipKey(key)) continue;
    await sink.putFile(p.file, key);
    keys.push(key);
  }
  return { keys, rows };
}

async function writeBadRows(conn: DuckDBConnection, sink: Sink, source: string, o: BatchOptions, dir: string): Promise<{ keys: string[]; rows: number }> {
  await conn.run(`CREATE OR REPLACE TEMP TABLE wc_bad AS
    SELECT bad.raw AS raw, bad.reason AS reason, coalesce(bad."time", ${Math.trunc(o.nowMs)}) AS "time", bad.source AS source
    FROM ${source} WHERE bad IS NOT NULL`);
  const dtExpr = `strftime(epoch_ms("time"), '%Y-%m-%d')`;
  const days = (await conn.runAndReadAll(`SELECT ${dtExpr}, min("time"), count(*) FROM wc_bad GROUP BY 1 ORDER BY 1`)).getRows();
  const keys: string[] = [];
  let rows = 0;
  for (const [dtValue, first, count] of days) {
    const dt = String(dtValue);
    if (!isDt(dt)) throw new Error(`unexpected bad-row day ${dt}`);
    // COPY … (FORMAT json) has no PARTITION_BY; bad rows are few, so one COPY per day is fine.
    const file = join(dir, `bad-${dt}.ndjson`);
    await conn.run(`COPY (SELECT * FROM wc_bad WHERE ${dtExpr} = '${dt}' ORDER BY "time") TO ${quoteLiteral(file)} (FORMAT json)`);
    const key = badKey(dt, Number(first), seededUuid(`${o.seed}/bad/${dt}`));
    await sink.putFile(file, key);
    keys.push(key);
    rows += Number(count);
  }
  await conn.run('DROP TABLE wc_bad');
  return { keys, rows };
}


export async function writeBatch(conn: DuckDBConnection, sink: Sink, input: BatchInput, o: BatchOptions): Promise<BatchResult> {
  const dir = join(sink.stagingDir, `batch-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  try {
    let staged = 0;
    let keysAllNew = false;
    const first = await stageAll(conn, input, join(dir, 'all'), o);
    let produced = first;
    if (o.dedupe) {
      // Every row goes to Parquet first, then the keys are read back from those files (two columns,
      // cheap). Only when a key repeats in the batch or was seen before are the files rewritten
      // without those rows — rare.
      const files = `[${first.map((p) => quoteLiteral(p.file)).join(', ')}]`;
      const keySource = first.length > 0
        ? `read_parquet(${files}, hive_partitioning=false)`
        : '(SELECT NULL::VARCHAR AS event_id, NULL::VARCHAR AS event_fingerprint WHERE false)';
      await conn.run(`CREATE OR REPLACE TEMP TABLE wc_stage AS SELECT ${dedupeKeySql} AS _k FROM ${keySource}`);
      const [total, distinct] = (await conn.runAndReadAll('SELECT count(*), count(DISTINCT _k) FROM wc_stage')).getRows()[0]!;
      staged = Number(total);
      const seen = staged === 0 ? 0 : await o.dedupe.countSeen('wc_stage');
      keysAllNew = Number(distinct) === staged && seen === 0;
      if (!keysAllNew) {
        const qualify = Number(distinct) < staged ? 'QUALIFY row_number() OVER (PARTITION BY _k ORDER BY collector_tstamp, etl_tstamp) = 1' : '';
        produced = await copyPartitioned(conn, join(dir, 'events'), `SELECT * EXCLUDE (_k)
          FROM (SELECT *, ${dedupeKeySql} AS _k, strftime(collector_tstamp, '%Y-%m-%d') AS _dt FROM read_parquet(${files}, hive_partitioning=false)) s
          WHERE ${o.dedupe.unseenPredicate} ${qualify}`);
      }
    }
    const events = await publishEvents(conn, sink, produced, o.seed, o.skipKey);
    // A day compaction swapped to a generation (Presto/Trino read only that folder) gets the files too.
    await adoptIntoGeneration(sink, events.keys, withDayLock);
    await o.onEventFiles?.(events.keys);
    const badSource = o.withBadRows ? badRowsSource(input) : undefined;
    const bad = badSource ? await writeBadRows(conn, sink, badSource, o, dir) : { keys: [], rows: 0 };
    return {
      files: [...events.keys, ...bad.keys],
      eventsWritten: events.rows,
      duplicatesDropped: o.dedupe ? staged - events.rows : 0,
      badRows: bad.rows,
      keysAllNew,
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
