// Query-layer benchmark: compile time per query (normalise + plan + render) over a mix of
// shapes, and the driver layer's execution overhead — the same SQL on a bare DuckDB connection
// versus through DuckDbDriver (pool, parameter mapping, row conversion).
import { performance } from 'node:perf_hooks';
import { DuckDBInstance } from '@duckdb/node-api';
import { qmModel } from '../server/src/query/test-fixture.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';

type BenchResult = { name: string; value: number; unit: string; baseline?: { name: string; value: number } };

const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
const round = (x: number, d = 3) => Math.round(x * 10 ** d) / 10 ** d;

const QUERIES = [
  { measures: ['orders.count', 'orders.total'], dimensions: ['orders.status'] },
  { measures: ['orders.count'], dimensions: ['users.city'], timezone: 'America/New_York',
    timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: 'last 30 days' }],
    filters: [{ or: [{ member: 'orders.status', operator: 'contains', values: ['do'] }, { member: 'orders.amount', operator: 'gt', values: ['10'] }] }] },
  { measures: ['orders.total', 'items.count'], dimensions: ['users.city'] },
  { measures: ['orders.running_total'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'week', dateRange: 'last 12 weeks' }] },
];

export async function bench(): Promise<BenchResult[]> {
  const model = qmModel();
  const results: BenchResult[] = [];

  // Compile: warm up, then time many rounds over the mix.
  const compileAll = () => { for (const raw of QUERIES) compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb' }); };
  for (let i = 0; i < 200; i++) compileAll();
  const rounds = 2000;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) compileAll();
  const perQueryUs = ((performance.now() - t0) * 1000) / (rounds * QUERIES.length);
  results.push({ name: 'query: compile (normalise+plan+render), mean per query', value: round(perQueryUs, 1), unit: 'µs' });

  // Execution: one table of 300k orders, the same compiled SQL on both paths, interleaved.
  const setup = `CREATE TABLE qm_orders AS SELECT i AS id, i % 1000 AS user_id, ['done','new','cancel'][1 + i % 3] AS status,
    (i % 97)::DECIMAL(18,2) AS amount, TIMESTAMP '2024-01-01' + to_seconds(i * 60) AS created_at FROM range(300000) t(i)`;
  const users = `CREATE TABLE qm_users AS SELECT i AS id, 'city' || (i % 20) AS city FROM range(1000) t(i)`;
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: false });
  await driver.query(setup, []); await driver.query(users, []);
  const bare = await DuckDBInstance.create(':memory:');
  const conn = await bare.connect();
  await conn.run(setup); await conn.run(users);
  const c = compileQuery(model, normalizeQuery(QUERIES[1], model, { now: new Date('2024-07-01T00:00:00Z') }), { dialect: 'duckdb' });
  const viaBare: number[] = [], viaDriver: number[] = [];
  for (let i = 0; i < 60; i++) {
    let s = performance.now();
    const reader = await conn.runAndReadAll(c.sql, c.params as never);
    reader.getRowObjectsJS();
    if (i >= 10) viaBare.push(performance.now() - s);
    s = performance.now();
    await driver.query(c.sql, c.params);
    if (i >= 10) viaDriver.push(performance.now() - s);
  }
  conn.closeSync(); bare.closeSync(); await driver.close();
  const b = median(viaBare), d = median(viaDriver);
  results.push({ name: 'query: DuckDB execution, bare connection (median)', value: round(b), unit: 'ms' });
  results.push({ name: 'query: DuckDB execution through DuckDbDriver (median)', value: round(d), unit: 'ms', baseline: { name: 'bare connection', value: round(b) } });
  results.push({ name: 'query: driver overhead over bare DuckDB', value: round(((d - b) / b) * 100, 1), unit: '%' });
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) console.table(await bench());
