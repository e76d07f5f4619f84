// Multi-stage measures as Cube's documentation ("Multi-stage calculations") defines them,
// checked on DuckDB and MariaDB (and PrestoDB/Trino when WEBCUBE_TEST_ENGINES names them)
// through the real API, the official @cubejs-client/core and GraphQL, with every answer counted
// here from the rows sent: prior-period values (time_shift), percent of total (reduce_by),
// totals at a coarser grain (group_by, with a time granularity), running totals
// (rolling_window over a stage) and rank.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cube, { type CubeApi } from '@cubejs-client/core';
import { DuckDBInstance } from '@duckdb/node-api';
import { GraphQLClient, gql } from 'graphql-request';
import { createConnection } from 'mysql2/promise';
import { loadServerConfig } from '../server/src/config.ts';
import { startServer, type RunningServer } from '../server/src/api/server-command.ts';
import { signToken } from '../server/src/auth/sign-token.ts';
import { MARIADB } from './cube-suite-tables.ts';
import { testEngine, uniqueSchema, type EngineName } from './engines.ts';

const SECRET = 'multi-stage-truth-secret';
const TABLE = `ms_sales_${process.pid}`;

type Sale = readonly [date: string, category: string, product: string, amount: number];
// Two years, so a prior year exists for some 2024 months and not for others; 2023-02 has rows
// but 2024-02 none (a shifted row with no current one); categories hold several products.
const SALES: readonly Sale[] = [
  ['2023-01-10', 'A', 'p1', 10], ['2023-01-20', 'B', 'p3', 7], ['2023-02-03', 'A', 'p2', 4],
  ['2023-03-15', 'A', 'p1', 6], ['2023-03-16', 'B', 'p4', 9], ['2023-11-30', 'B', 'p3', 2],
  ['2024-01-05', 'A', 'p1', 12], ['2024-01-06', 'A', 'p2', 3], ['2024-01-31', 'B', 'p3', 8],
  ['2024-03-01', 'A', 'p1', 5], ['2024-03-02', 'B', 'p4', 11], ['2024-03-31', 'B', 'p3', 1],
  ['2024-04-10', 'A', 'p2', 20], ['2024-05-01', 'B', 'p4', 4], ['2024-05-02', 'A', 'p1', 4],
];

const MODEL = (table: string) => `
cubes:
  - name: Sales
    sql_table: ${table}
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: saleDate, sql: sale_date, type: time }
      - { name: category, sql: category, type: string }
      - { name: product, sql: product, type: string }
    measures:
      - { name: revenue, sql: amount, type: sum }
      - { name: count, type: count }
      - name: revenuePriorYear
        multi_stage: true
        sql: "{revenue}"
        type: number
        time_shift:
          - { time_dimension: saleDate, interval: 1 year, type: prior }
      - name: revenuePriorMonth
        multi_stage: true
        sql: "{revenue}"
        type: number
        time_shift:
          - { interval: 1 month, type: prior }
      - name: revenueAllCategories
        multi_stage: true
        sql: "{revenue}"
        type: sum
        reduce_by: [category]
      - name: revenueShare
        multi_stage: true
        sql: "1e0 * {revenue} / NULLIF({revenueAllCategories}, 0)"
        type: number
      - name: revenueForCategory
        multi_stage: true
        sql: "{revenue}"
        type: sum
        group_by: [category]
      - name: revenueForYear
        multi_stage: true
        sql: "{revenue}"
        type: sum
        group_by: [saleDate.year]
      - name: runningRevenue
        multi_stage: true
        sql: "{revenue}"
        type: sum
        rolling_window: { trailing: unbounded }
      - name: productRank
        multi_stage: true
        type: rank
        order_by: [{ sql: "{revenue}", dir: desc }]
        reduce_by: [product]
`;

const month = (d: string) => `${d.slice(0, 7)}-01T00:00:00.000`;
const sum = (rows: readonly Sale[]) => rows.reduce((s, r) => s + r[3], 0);
const shiftMonths = (m: string, n: number) => {
  const d = new Date(`${m.slice(0, 10)}T00:00:00Z`);
  d.setUTCMonth(d.getUTCMonth() + n);
  return `${d.toISOString().slice(0, 10)}T00:00:00.000`;
};
const in2024 = (r: Sale) => r[0] >= '2024-01-01' && r[0] <= '2024-12-31';
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const groupBy = (rows: readonly Sale[], key: (r: Sale) => string) => {
  const out = new Map<string, Sale[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
};

interface EngineSetup { env: Record<string, string>; table: string; cleanup(): Promise<void> }

async function duckdb(dir: string): Promise<EngineSetup> {
  const path = join(dir, 'sales.duckdb');
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  await conn.run(`CREATE TABLE ${TABLE} (id INTEGER, sale_date TIMESTAMP, category VARCHAR, product VARCHAR, amount INTEGER)`);
  for (const [i, r] of SALES.entries()) await conn.run(`INSERT INTO ${TABLE} VALUES (?, CAST(? AS TIMESTAMP), ?, ?, ?)`, [i + 1, ...r] as never);
  conn.closeSync();
  instance.closeSync();
  return { env: { CUBEJS_DB_TYPE: 'duckdb', CUBEJS_DB_DUCKDB_DATABASE_PATH: path }, table: TABLE, cleanup: async () => {} };
}

async function mariadb(): Promise<EngineSetup> {
  const conn = await createConnection(MARIADB);
  await conn.query(`CREATE TABLE ${TABLE} (id INT, sale_date DATETIME, category VARCHAR(8), product VARCHAR(8), amount INT)`);
  await conn.query(`INSERT INTO ${TABLE} VALUES ?`, [SALES.map((r, i) => [i + 1, ...r])]);
  await conn.end();
  return {
    env: { CUBEJS_DB_TYPE: 'mysql', CUBEJS_DB_HOST: MARIADB.host, CUBEJS_DB_PORT: String(MARIADB.port), CUBEJS_DB_USER: MARIADB.user, CUBEJS_DB_NAME: MARIADB.database },
    table: TABLE,
    cleanup: async () => {
      const c = await createConnection(MARIADB);
      await c.query(`DROP TABLE IF EXISTS ${TABLE}`);
      await c.end();
    },
  };
}

async function jvmEngine(name: EngineName): Promise<EngineSetup> {
  const engine = await testEngine(name);
  const schema = uniqueSchema('ms');
  await engine.run(`CREATE SCHEMA memory.${schema}`);
  const values = SALES.map((r, i) => `(${i + 1}, TIMESTAMP '${r[0]} 00:00:00', '${r[1]}', '${r[2]}', ${r[3]})`).join(', ');
  await engine.run(`CREATE TABLE memory.${schema}.sales AS SELECT * FROM (VALUES ${values}) AS t (id, sale_date, category, product, amount)`);
  return { env: engine.settings('memory', schema), table: `memory.${schema}.sales`, cleanup: async () => { await engine.run(`DROP TABLE memory.${schema}.sales`); } };
}

const jvm = (process.env.WEBCUBE_TEST_ENGINES ?? '').split(',').map((p) => p.split('=')[0]).filter((n): n is EngineName => n === 'presto' || n === 'trino');
const ENGINES: { name: string; setup: (dir: string) => Promise<EngineSetup> }[] = [
  { name: 'duckdb', setup: duckdb }, { name: 'mariadb', setup: mariadb },
  ...jvm.map((n) => ({ name: n, setup: () => jvmEngine(n) })),
];

for (const engine of ENGINES) {
  describe(`multi-stage measures on ${engine.name}`, () => {
    let dir: string;
    let server: RunningServer;
    let api: CubeApi;
    let token: string;
    let setup: EngineSetup;

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `multi-stage-${engine.name}-`));
      await mkdir(join(dir, 'model'));
      setup = await engine.setup(dir);
      await writeFile(join(dir, 'model', 'sales.yml'), MODEL(setup.table));
      server = await startServer(loadServerConfig({
        PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: join(dir, 'model'),
        WEBCUBE_DATA_DIR: dir, WEBCUBE_DASHBOARD_DIR: join(dir, 'none'), CUBEJS_DEV_MODE: 'false', ...setup.env,
      }), { options: {} });
      token = await signToken({}, SECRET, { expiresIn: '1h' });
      api = cube(token, { apiUrl: `${server.url}/cubejs-api/v1` });
    });

    after(async () => {
      await server?.close();
      await setup?.cleanup();
      await rm(dir, { recursive: true, force: true });
    });

    const byMonth2024 = async (measures: string[], dimensions: string[] = []) => (await api.load({
      measures, dimensions,
      timeDimensions: [{ dimension: 'Sales.saleDate', granularity: 'month', dateRange: ['2024-01-01', '2024-12-31'] }],
    })).rawData() as Record<string, unknown>[];

    test('time_shift prior 1 year: each 2024 month beside the same month of 2023', async () => {
      const rows = await byMonth2024(['Sales.revenue', 'Sales.revenuePriorYear']);
      const got = Object.fromEntries(rows.map((r) => [r['Sales.saleDate.month'], [num(r['Sales.revenue']), num(r['Sales.revenuePriorYear'])]]));
      const truth: Record<string, [number, number | null]> = {};
      for (const [m, rs] of groupBy(SALES.filter(in2024), (r) => month(r[0]))) {
        const prior = SALES.filter((r) => month(r[0]) === shiftMonths(m, -12));
        truth[m] = [sum(rs), prior.length ? sum(prior) : null];
      }
      assert.deepEqual(got, truth);
      assert.ok(Object.values(truth).some(([, p]) => p === null) && Object.values(truth).some(([, p]) => p !== null), 'months with and without a prior year');
    });

    test('a lone time-shifted measure answers the buckets its shifted rows fill, as Cube does', async () => {
      const rows = await byMonth2024(['Sales.revenuePriorYear']);
      const got = Object.fromEntries(rows.map((r) => [r['Sales.saleDate.month'], num(r['Sales.revenuePriorYear'])]));
      const truth = Object.fromEntries([...groupBy(SALES.filter((r) => r[0] < '2024-01-01'), (r) => shiftMonths(month(r[0]), 12))].map(([m, rs]) => [m, sum(rs)]));
      assert.deepEqual(got, truth);
      assert.ok('2024-02-01T00:00:00.000' in truth, 'a month with only prior-year rows is answered');
    });

    test('time_shift without time_dimension shifts the query\'s time dimension, per category', async () => {
      const rows = await byMonth2024(['Sales.revenue', 'Sales.revenuePriorMonth'], ['Sales.category']);
      const got = Object.fromEntries(rows.map((r) => [`${r['Sales.saleDate.month']}|${r['Sales.category']}`, num(r['Sales.revenuePriorMonth'])]));
      const truth: Record<string, number | null> = {};
      for (const [key, rs] of groupBy(SALES.filter(in2024), (r) => `${month(r[0])}|${r[1]}`)) {
        const [m, c] = key.split('|');
        const prior = SALES.filter((r) => month(r[0]) === shiftMonths(m!, -1) && r[1] === c);
        truth[key] = prior.length ? sum(prior) : null;
        void rs;
      }
      assert.deepEqual(got, truth);
    });

    test('reduce_by: percent of total over categories within each month', async () => {
      const rows = await byMonth2024(['Sales.revenue', 'Sales.revenueAllCategories', 'Sales.revenueShare'], ['Sales.category']);
      assert.ok(rows.length > 0);
      const monthTotals = new Map([...groupBy(SALES.filter(in2024), (r) => month(r[0]))].map(([m, rs]) => [m, sum(rs)]));
      const cells = groupBy(SALES.filter(in2024), (r) => `${month(r[0])}|${r[1]}`);
      assert.equal(rows.length, cells.size);
      for (const r of rows) {
        const m = String(r['Sales.saleDate.month']);
        const revenue = sum(cells.get(`${m}|${r['Sales.category']}`)!);
        assert.equal(num(r['Sales.revenue']), revenue);
        assert.equal(num(r['Sales.revenueAllCategories']), monthTotals.get(m));
        assert.ok(Math.abs(num(r['Sales.revenueShare'])! - revenue / monthTotals.get(m)!) < 1e-9, `${m} ${r['Sales.category']}: share`);
      }
    });

    test('group_by: a category total beside each product, the time range still applied', async () => {
      const rows = (await api.load({
        measures: ['Sales.revenue', 'Sales.revenueForCategory'], dimensions: ['Sales.category', 'Sales.product'],
        timeDimensions: [{ dimension: 'Sales.saleDate', dateRange: ['2024-01-01', '2024-12-31'] }],
      })).rawData() as Record<string, unknown>[];
      const byCategory = new Map([...groupBy(SALES.filter(in2024), (r) => r[1])].map(([c, rs]) => [c, sum(rs)]));
      const byProduct = groupBy(SALES.filter(in2024), (r) => `${r[1]}|${r[2]}`);
      assert.equal(rows.length, byProduct.size);
      for (const r of rows) {
        assert.equal(num(r['Sales.revenue']), sum(byProduct.get(`${r['Sales.category']}|${r['Sales.product']}`)!));
        assert.equal(num(r['Sales.revenueForCategory']), byCategory.get(String(r['Sales.category'])));
      }
    });

    test('group_by a coarser granularity: each month beside its year\'s total', async () => {
      const rows = (await api.load({
        measures: ['Sales.revenue', 'Sales.revenueForYear'],
        timeDimensions: [{ dimension: 'Sales.saleDate', granularity: 'month', dateRange: ['2023-01-01', '2024-12-31'] }],
      })).rawData() as Record<string, unknown>[];
      const years = new Map([...groupBy(SALES, (r) => r[0].slice(0, 4))].map(([y, rs]) => [y, sum(rs)]));
      const got = Object.fromEntries(rows.map((r) => [r['Sales.saleDate.month'], num(r['Sales.revenueForYear'])]));
      const truth = Object.fromEntries([...groupBy(SALES, (r) => month(r[0]))].map(([m]) => [m, years.get(m.slice(0, 4))!]));
      assert.deepEqual(got, truth);
    });

    test('running total (rolling_window unbounded over a stage) counts rows before the range', async () => {
      const rows = await byMonth2024(['Sales.runningRevenue']);
      const got = Object.fromEntries(rows.map((r) => [r['Sales.saleDate.month'], num(r['Sales.runningRevenue'])]));
      const truth: Record<string, number> = {};
      for (let i = 0; i < 12; i++) {
        const m = shiftMonths('2024-01-01', i);
        truth[m] = sum(SALES.filter((r) => month(r[0]) <= m));
      }
      assert.deepEqual(got, truth);
    });

    test('rank: products ranked by revenue within their category (reduce_by product)', async () => {
      const rows = (await api.load({
        measures: ['Sales.revenue', 'Sales.productRank'], dimensions: ['Sales.category', 'Sales.product'],
      })).rawData() as Record<string, unknown>[];
      const totals = new Map([...groupBy(SALES, (r) => `${r[1]}|${r[2]}`)].map(([k, rs]) => [k, sum(rs)]));
      assert.equal(rows.length, totals.size);
      for (const r of rows) {
        const key = `${r['Sales.category']}|${r['Sales.product']}`;
        const higher = [...totals].filter(([k, v]) => k.split('|')[0] === r['Sales.category'] && v > totals.get(key)!).length;
        assert.equal(num(r['Sales.productRank']), higher + 1, key);
      }
    });

    test('GraphQL answers a time-shifted measure as REST does', async () => {
      const client = new GraphQLClient(`${server.url}/cubejs-api/graphql`, { headers: { Authorization: token } });
      const res = await client.request<{ cube: { sales: { revenue: number; revenuePriorYear: number | null; saleDate: { month: string } } }[] }>(gql`
        { cube(where: { sales: { saleDate: { inDateRange: ["2024-01-01", "2024-12-31"] } } }) {
          sales(orderBy: { saleDate: asc }) { revenue revenuePriorYear saleDate { month } } } }
      `);
      const got = Object.fromEntries(res.cube.map((r) => [r.sales.saleDate.month.slice(0, 10), r.sales.revenuePriorYear]));
      const truth: Record<string, number | null> = {};
      for (const [m] of groupBy(SALES.filter(in2024), (r) => month(r[0]))) {
        const prior = SALES.filter((r) => month(r[0]) === shiftMonths(m, -12));
        truth[m.slice(0, 10)] = prior.length ? sum(prior) : null;
      }
      assert.deepEqual(got, truth);
    });
  });
}
