// End-to-end harness for the collector tests: a real collector on 127.0.0.1:0 writing through the
// real storage into a temp dir, and DuckDB to read the Parquet and bad-row files back.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadCollectorConfig } from '../collector/src/config.ts';
import { startCollector, type RunningCollector } from '../collector/src/collector-command.ts';

export interface CollectorHarness {
  readonly collector: RunningCollector;
  readonly dir: string;
  /** Flushes the store, then runs `select` over the Parquet files as table `events`. */
  events<T = Record<string, unknown>>(select: string): Promise<T[]>;
  badRows(): Promise<{ raw: string; reason: string; time: number; source: string | null }[]>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}): Promise<CollectorHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-collector-e2e-'));
  const config = loadCollectorConfig({
    WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
    COLLECTOR_FLUSH_MS: '60000', COLLECTOR_COOKIE_SECURE: 'false', COLLECTOR_COOKIE_SAMESITE: 'Lax', ...env,
  });
  const collector = await startCollector(config);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const rows = async <T>(sql: string): Promise<T[]> => (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  return {
    collector,
    dir,
    async events<T>(select: string) {
      await collector.store.flush();
      await conn.run(`CREATE OR REPLACE VIEW events AS SELECT * FROM read_parquet('${dir}/events/**/*.parquet', hive_partitioning = true, union_by_name = true)`);
      return rows<T>(select);
    },
    async badRows() {
      await collector.store.flush();
      return rows(`SELECT raw, reason, "time", source FROM read_json_auto('${dir}/bad/**/*.ndjson', format = 'newline_delimited') ORDER BY "time", reason`);
    },
    async close() {
      conn.closeSync();
      db.closeSync();
      await collector.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
