// Join planning and time columns (issue #15): compile time of a view query whose members walk
// join paths (planner with path hints, join-condition cubes, Cube's multiplication rule) against
// the same measures and dimensions asked of the cubes directly; and DuckDB execution of a daily
// count with the time dimension's timestamp cast against the same SQL without it.
import { performance } from 'node:perf_hooks';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileYamlModel } from '../server/src/query/test-model.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import type { BenchResult } from './run.ts';

const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };

const model = compileYamlModel({ 'shop.yml': `
cubes:
  - name: orders
    sql_table: b_orders
    joins:
      - {name: users, relationship: many_to_one, sql: "{CUBE}.user_id = {users.id}"}
      - {name: cities, relationship: many_to_one, sql: "{CUBE}.ship_city_id = {cities.id}"}
      - {name: line_items, relationship: one_to_many, sql: "{CUBE}.id = {line_items}.order_id"}
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: created_at, sql: created_at, type: time}
    measures:
      - {name: count, type: count}
      - {name: total, sql: amount, type: sum}
  - name: users
    sql_table: b_users
    joins:
      - {name: cities, relationship: many_to_one, sql: "{CUBE}.city_id = {cities.id}"}
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: name, sql: name, type: string}
  - name: cities
    sql_table: b_cities
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: name, sql: name, type: string}
  - name: line_items
    sql_table: b_line_items
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
    measures:
      - {name: qty, sql: qty, type: sum}
views:
  - name: shop
    cubes:
      - {join_path: orders, includes: [count, total]}
      - {join_path: orders.users, prefix: true, includes: [name]}
      - {join_path: orders.users.cities, prefix: true, includes: [name]}
      - {join_path: orders.line_items, includes: [qty]}
` });

const VIEW = { measures: ['shop.total', 'shop.qty'], dimensions: ['shop.users_name', 'shop.cities_name'] };
const CUBES = { measures: ['orders.total', 'line_items.qty'], dimensions: ['users.name', 'cities.name'] };

function compileMicros(raw: Record<string, unknown>): number {
  const once = () => compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb' });
  for (let i = 0; i < 300; i++) once();
  const rounds = 3000;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) once();
  return ((performance.now() - t0) * 1000) / rounds;
}

export async function bench(): Promise<BenchResult[]> {
  const cubes = compileMicros(CUBES);
  const view = compileMicros(VIEW);

  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: false });
  await driver.query(`CREATE TABLE b_orders AS SELECT i AS id, TIMESTAMP '2024-01-01' + to_seconds(i * 60) AS created_at FROM range(500000) t(i)`, []);
  const q = compileQuery(model, normalizeQuery({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-02-01', '2024-03-31'] }] }, model), { dialect: 'duckdb' });
  const bare = q.sql.replaceAll('CAST("orders".created_at AS TIMESTAMP)', '"orders".created_at');
  if (bare === q.sql) throw new Error('the compiled SQL has no timestamp cast to compare against');
  const withCast: number[] = [], without: number[] = [];
  for (let i = 0; i < 40; i++) {
    let s = performance.now();
    await driver.query(q.sql, q.params);
    if (i >= 5) withCast.push(performance.now() - s);
    s = performance.now();
    await driver.query(bare, q.params);
    if (i >= 5) without.push(performance.now() - s);
  }
  await driver.close();
  return [
    { name: 'joins: compile, cube members (mean)', value: round(cubes, 1), unit: 'µs' },
    { name: 'joins: compile, view members over join paths (mean)', value: round(view, 1), unit: 'µs', baseline: { name: 'cube members', value: round(cubes, 1) } },
    { name: 'joins: DuckDB daily count, 500k rows, timestamp cast (median)', value: round(median(withCast)), unit: 'ms', baseline: { name: 'no cast', value: round(median(without)) } },
  ];
}
