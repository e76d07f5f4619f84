// Writes enriched events straight to `<dir>/events/dt=YYYY-MM-DD/*.parquet` (zstd, the
// collector's layout and column types) through DuckDB. For fixtures and benchmarks only: it
// bypasses the collector's spool, dedupe and atomic publish, which live data must go through.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { atomicColumns, type AtomicEvent } from '../atomic/columns.ts';

const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** The atomic columns as `CAST(<expr> AS <type>) AS name`, taking values from `source(name)`. */
export function atomicSelectList(source: (name: string) => string | undefined): string {
  return atomicColumns.map((c) => `CAST(${source(c.name) ?? 'NULL'} AS ${c.type}) AS "${c.name}"`).join(',\n  ');
}

export async function writeEventsParquet(dataDir: string, events: readonly AtomicEvent[]): Promise<void> {
  if (events.length === 0) return;
  const tmp = join(dataDir, `.fixture-${randomUUID()}`);
  await mkdir(tmp, { recursive: true });
  const timestampCols = new Set(atomicColumns.filter((c) => c.type === 'TIMESTAMP').map((c) => c.name));
  const lines = events.map((e) => JSON.stringify(Object.fromEntries(Object.entries(e).map(([k, v]) =>
    [k, timestampCols.has(k) && typeof v === 'number' ? new Date(v).toISOString().replace('T', ' ').replace('Z', '') : v]))));
  const file = join(tmp, 'events.ndjson');
  await writeFile(file, `${lines.join('\n')}\n`);
  const columns = `{${atomicColumns.map((c) => `${lit(c.name)}: ${lit(c.type === 'TIMESTAMP' ? 'VARCHAR' : c.type)}`).join(', ')}}`;
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    await conn.run(`COPY (
      SELECT ${atomicSelectList((n) => `"${n}"`)}, strftime(CAST(collector_tstamp AS TIMESTAMP), '%Y-%m-%d') AS dt
      FROM read_json(${lit(file)}, format = 'newline_delimited', columns = ${columns})
    ) TO ${lit(join(dataDir, 'events'))} (FORMAT parquet, COMPRESSION zstd, PARTITION_BY (dt), APPEND, FILENAME_PATTERN 'part-{uuid}')`);
  } finally {
    conn.closeSync();
    db.closeSync();
    await rm(tmp, { recursive: true, force: true });
  }
}
