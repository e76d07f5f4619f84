// Rolling windows, compound custom granularities and hidden members as Cube's documentation defines them, checked on DuckDB and
// MariaDB through the real API and the official @cubejs-client/core, with the truth counted
// here from the rows: a trailing window answers null (not 0) when it holds no row; a
// count_distinct_approx measure can roll; with no time dimension a rolling measure is the
// aggregate over all rows (a running total); a custom granularity of several units buckets rows
// at origin + k × interval on the calendar; a `shown: false` member is refused outside dev mode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cube, { type CubeApi } from '@cubejs-client/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { createConnection } from 'mysql2/promise';
import { loadServerConfig } from '../server/src/config.ts';
import { startServer, type RunningServer } from '../server/src/api/server-command.ts';
import { signToken } from '../server/src/auth/sign-token.ts';
import { MARIADB } from './cube-suite-tables.ts';

const SECRET = 'rolling-truth-secret';
const TABLE = `rolling_orders_${process.pid}`;
const DAY = 86_400_000;

// order_date, customer: gaps of several days so some 2-day windows are empty.
const ORDERS: readonly [string, string][] = [
  ['2024-01-01', 'a'], ['2024-01-01', 'b'], ['2024-01-02', 'a'], ['2024-01-05', 'c'],
  ['2024-01-06', 'c'], ['2024-01-06', 'd'], ['2024-01-09', 'a'], ['2023-12-31', 'e'],
];

const MODEL = `
cubes:
  - name: Orders
    sql: "select * from ${TABLE}"
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - name: orderDate
        sql: order_date
        type: time
        granularities:
          - { name: odd, interval: "1 month 1 day 1 hour", origin: "2023-12-01" }
      - { name: customer, sql: customer, type: string }
    measures:
      - { name: count, type: count }
      - { name: hiddenCount, type: count, shown: false }
      - name: rollingCount2Day
        type: count
        rolling_window: { trailing: 2 day }
      - name: rollingCustomers2Day
        type: count_distinct_approx
        sql: customer
        rolling_window: { trailing: 2 day }
      - name: runningTotal
        type: count
        rolling_window: { trailing: unbounded }
`;

const dayMs = (d: string) => Date.parse(`${d}T00:00:00Z`);
const iso = (ms: number) => new Date(ms).toISOString().replace('Z', '');

/** Per day of the range: orders in (end of day − 2 days, end of day], as Cube's trailing window. */
function trailingTruth(from: string, to: string, value: (rows: typeof ORDERS[number][]) => number) {
  const out: Record<string, number | null> = {};
  for (let d = dayMs(from); d <= dayMs(to); d += DAY) {
    const end = d + DAY - 1;
    const rows = ORDERS.filter(([od]) => dayMs(od) > end - 2 * DAY && dayMs(od) <= end);
    out[iso(d)] = rows.length ? value(rows) : null;
  }
  return out;
}

/**
 * Calendar truth: the last origin + k × (1 month 1 day 1 hour) at or before the day. 2024-01-02
 * is the edge: 32 days after the origin, past one 30-day-month estimate of the interval
 * (31 d 1 h) but before the calendar's second bucket (2024-01-02 01:00).
 */
function oddBucket(day: string): string {
  const origin = Date.UTC(2023, 11, 1);
  const start = (k: number) => {
    const d = new Date(origin);
    d.setUTCMonth(d.getUTCMonth() + k);
    return d.getTime() + k * (DAY + 3_600_000);
  };
  let k = 0;
  while (start(k) > dayMs(day)) k--;
  while (start(k + 1) <= dayMs(day)) k++;
  return iso(start(k));
}

async function loadRows(engine: 'duckdb' | 'mariadb', dir: string): Promise<Record<string, string>> {
  const rows = ORDERS.map(([d, c], i) => [i + 1, d, c]);
  if (engine === 'duckdb') {
    const path = join(dir, 'orders.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    await conn.run(`CREATE TABLE ${TABLE} (id INTEGER, order_date DATE, customer VARCHAR)`);
    for (const r of rows) await conn.run(`INSERT INTO ${TABLE} VALUES (?, ?, ?)`, r as never);
    conn.closeSync();
    instance.closeSync();
    return { CUBEJS_DB_TYPE: 'duckdb', CUBEJS_DB_DUCKDB_DATABASE_PATH: path };
  }
  const conn = await createConnection(MARIADB);
  await conn.query(`CREATE TABLE ${TABLE} (id INT, order_date DATE, customer VARCHAR(16))`);
  await conn.query(`INSERT INTO ${TABLE} VALUES ?`, [rows]);
  await conn.end();
  return { CUBEJS_DB_TYPE: 'mysql', CUBEJS_DB_HOST: MARIADB.host, CUBEJS_DB_PORT: String(MARIADB.port), CUBEJS_DB_USER: MARIADB.user, CUBEJS_DB_NAME: MARIADB.database };
}

for (const engine of ['duckdb', 'mariadb'] as const) {
  describe(`rolling windows and hidden members on ${engine}`, () => {
    let dir: string;
    let server: RunningServer;
    let api: CubeApi;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `rolling-truth-${engine}-`));
      await mkdir(join(dir, 'model'));
      await writeFile(join(dir, 'model', 'orders.yml'), MODEL);
      const env = await loadRows(engine, dir);
      server = await startServer(loadServerConfig({
        PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: join(dir, 'model'),
        WEBCUBE_DATA_DIR: dir, WEBCUBE_DASHBOARD_DIR: join(dir, 'none'), CUBEJS_DEV_MODE: 'false', ...env,
      }), { options: {} });
      api = cube(await signToken({}, SECRET, { expiresIn: '1h' }), { apiUrl: `${server.url}/cubejs-api/v1` });
    });

    after(async () => {
      await server?.close();
      if (engine === 'mariadb') {
        const conn = await createConnection(MARIADB);
        await conn.query(`DROP TABLE IF EXISTS ${TABLE}`);
        await conn.end();
      }
      await rm(dir, { recursive: true, force: true });
    });

    const byDay = async (measure: string) => {
      const rs = await api.load({
        measures: [measure], timeDimensions: [{ dimension: 'Orders.orderDate', granularity: 'day', dateRange: ['2024-01-01', '2024-01-10'] }],
        order: { 'Orders.orderDate': 'asc' },
      });
      return Object.fromEntries(rs.rawData().map((r: Record<string, unknown>) => [r['Orders.orderDate.day'], r[measure] === null ? null : Number(r[measure])]));
    };

    test('a trailing 2-day count is null, not 0, for a day whose window holds no order', async () => {
      assert.deepEqual(await byDay('Orders.rollingCount2Day'), trailingTruth('2024-01-01', '2024-01-10', (rows) => rows.length));
    });

    test('count_distinct_approx rolls over the same windows (distinct customers)', async () => {
      assert.deepEqual(await byDay('Orders.rollingCustomers2Day'), trailingTruth('2024-01-01', '2024-01-10', (rows) => new Set(rows.map(([, c]) => c)).size));
    });

    test('without a time dimension an unbounded rolling count is the count of every row', async () => {
      const rs = await api.load({ measures: ['Orders.runningTotal'] });
      assert.deepEqual(rs.rawData().map((r: Record<string, unknown>) => Number(r['Orders.runningTotal'])), [ORDERS.length]);
    });

    test('a custom granularity of several units buckets on the calendar from its origin', async () => {
      const rs = await api.load({ measures: ['Orders.count'], timeDimensions: [{ dimension: 'Orders.orderDate', granularity: 'odd' }] });
      const got = Object.fromEntries(rs.rawData().map((r: Record<string, unknown>) => [r['Orders.orderDate.odd'], Number(r['Orders.count'])]));
      const truth: Record<string, number> = {};
      for (const [d] of ORDERS) truth[oddBucket(d)] = (truth[oddBucket(d)] ?? 0) + 1;
      assert.deepEqual(got, truth);
      assert.ok(Object.keys(truth).length >= 2, 'the fixture spans several buckets');
    });

    test('a shown: false measure is refused outside dev mode with Cube\'s message', async () => {
      await assert.rejects(api.load({ measures: ['Orders.hiddenCount'] }), (e: Error & { status?: number }) => {
        assert.equal(e.status, 400);
        assert.match(e.message, /You requested hidden member: 'Orders\.hiddenCount'/);
        return true;
      });
      // A primary key is hidden by default in Cube too.
      await assert.rejects(api.load({ dimensions: ['Orders.id'] }), /You requested hidden member: 'Orders\.id'/);
    });
  });
}
