// Shared set-up for the API end-to-end tests: generates a small, deterministic set of events,
// writes them as Hive-partitioned Parquet with DuckDB (the collector's layout), and starts the
// real server on port 0 over the fixture model. Truth is computed from `rows` in plain JS.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadServerConfig } from '../server/src/config.ts';
import { startServer, type RunningServer } from '../server/src/api/server-command.ts';
import type { CubeOptions } from '../server/src/api/cube-options.ts';
import { signToken } from '../server/src/auth/sign-token.ts';

export type EventRow = {
  event_id: string;
  app_id: string;
  event: string;
  domain_userid: string;
  page_urlpath: string;
  se_value: number;
  /** UTC, `YYYY-MM-DD HH:mm:ss` */
  collector_tstamp: string;
};

export const SECRET = 'api-test-secret';
export const SCHEMA_DIR = new URL('./fixtures/api-schema/', import.meta.url).pathname;
export const CUBE_JS = new URL('../cube.js', import.meta.url).pathname;

/** 240 events over 2024-01-01 .. 2024-01-20, two sites, two event types, a few pages. */
export function generateRows(n = 240): EventRow[] {
  let seed = 42;
  const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const start = Date.UTC(2024, 0, 1);
  return Array.from({ length: n }, (_, i) => {
    const t = new Date(start + Math.floor(rnd() * 20 * 24 * 3600) * 1000);
    return {
      event_id: `e-${String(i).padStart(5, '0')}`,
      app_id: pick(['site-a', 'site-a', 'site-b']),
      event: pick(['page_view', 'page_view', 'link_click']),
      domain_userid: `u-${Math.floor(rnd() * 30)}`,
      page_urlpath: pick(['/', '/pricing', '/docs', '/blog']),
      se_value: Math.floor(rnd() * 100) / 4,
      collector_tstamp: t.toISOString().slice(0, 19).replace('T', ' '),
    };
  });
}

export async function writeParquet(dataDir: string, rows: readonly EventRow[]): Promise<void> {
  const ndjson = join(dataDir, 'rows.ndjson');
  await writeFile(ndjson, rows.map((r) => JSON.stringify(r)).join('\n'));
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    await conn.run(`CREATE TABLE t AS SELECT * FROM read_json('${ndjson}', format = 'newline_delimited', columns = {
      event_id: 'VARCHAR', app_id: 'VARCHAR', event: 'VARCHAR', domain_userid: 'VARCHAR',
      page_urlpath: 'VARCHAR', se_value: 'DOUBLE', collector_tstamp: 'TIMESTAMP'})`);
    await conn.run(`COPY (SELECT *, strftime(collector_tstamp, '%Y-%m-%d') AS dt FROM t)
      TO '${join(dataDir, 'events')}' (FORMAT parquet, PARTITION_BY (dt), COMPRESSION zstd)`);
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
  await rm(ndjson);
}

export type Fixture = { rows: EventRow[]; server: RunningServer; apiUrl: string; dir: string; token: (ctx?: Record<string, unknown>, exp?: string | number) => Promise<string>; close(): Promise<void> };

export async function startFixture(env: Record<string, string> = {}, options?: CubeOptions): Promise<Fixture> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-api-'));
  const rows = generateRows();
  await writeParquet(dir, rows);
  const config = loadServerConfig({
    PORT: '0',
    WEBCUBE_HOST: '127.0.0.1',
    CUBEJS_API_SECRET: SECRET,
    CUBEJS_SCHEMA_PATH: SCHEMA_DIR,
    WEBCUBE_DATA_DIR: dir,
    WEBCUBE_CONFIG_FILE: CUBE_JS,
    WEBCUBE_DASHBOARD_DIR: join(dir, 'no-dashboard'),
    CUBEJS_DEV_MODE: 'false',
    ...env,
  });
  const server = await startServer(config, options ? { options } : {});
  return {
    rows,
    server,
    dir,
    apiUrl: `${server.url}/cubejs-api/v1`,
    token: (ctx = {}, exp = '1h') => signToken(ctx, SECRET, { expiresIn: exp }),
    close: async () => {
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Counts rows per key, as the truth for count measures. */
export function countBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of rows) out.set(key(r), (out.get(key(r)) ?? 0) + 1);
  return out;
}
