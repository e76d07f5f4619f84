// A pre-aggregation whose members are given as join paths (Cube: `orders.users.cities.name`):
// its rows are built over that route on real DuckDB, and it answers only queries over the same
// joins (a view member walking that join_path), not the cube's shortest route to the member.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDbDriver } from '../drivers/duckdb-driver.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileYamlModel } from '../query/test-model.ts';
import { rollupQuery } from './build-partition.ts';
import { createSourceEngine } from './compiled-source.ts';
import { routedQuery, sameJoinRoutes } from './join-routes.ts';

const CITIES = [[1, 'Paris'], [2, 'Lyon']] as const;
const USERS = [[1, 1], [2, 2], [3, 1]] as const; // id, home city
const ORDERS = [[1, 1, 2], [2, 1, 2], [3, 2, 1], [4, 3, 2], [5, 2, 2]] as const; // id, user, shipping city

const model = compileYamlModel({ 'shop.yml': `
cubes:
  - name: orders
    sql_table: jr_orders
    joins:
      - {name: users, relationship: many_to_one, sql: "{CUBE}.user_id = {users.id}"}
      - {name: cities, relationship: many_to_one, sql: "{CUBE}.ship_city_id = {cities.id}"}
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
    measures:
      - {name: count, type: count}
    pre_aggregations:
      - name: by_home_city
        measures: [count]
        dimensions: [orders.users.cities.name]
      - name: by_ship_city
        measures: [count]
        dimensions: [cities.name]
  - name: users
    sql_table: jr_users
    joins:
      - {name: cities, relationship: many_to_one, sql: "{CUBE}.city_id = {cities.id}"}
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
  - name: cities
    sql_table: jr_cities
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: name, sql: name, type: string}
views:
  - name: customer_orders
    cubes:
      - {join_path: orders, includes: [count]}
      - {join_path: orders.users.cities, prefix: true, includes: [name]}
` });

let duck: DuckDbDriver;
before(async () => {
  duck = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: false });
  await duck.query('CREATE TABLE jr_cities (id INTEGER, name VARCHAR)', []);
  await duck.query('CREATE TABLE jr_users (id INTEGER, city_id INTEGER)', []);
  await duck.query('CREATE TABLE jr_orders (id INTEGER, user_id INTEGER, ship_city_id INTEGER)', []);
  for (const [id, name] of CITIES) await duck.query('INSERT INTO jr_cities VALUES ($1, $2)', [id, name]);
  for (const [id, city] of USERS) await duck.query('INSERT INTO jr_users VALUES ($1, $2)', [id, city]);
  for (const [id, user, city] of ORDERS) await duck.query('INSERT INTO jr_orders VALUES ($1, $2, $3)', [id, user, city]);
});
after(async () => { await duck?.close(); });

const cityName = (id: number) => CITIES.find((c) => c[0] === id)![1];
function tally(key: (o: typeof ORDERS[number]) => string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const o of ORDERS) out[key(o)] = (out[key(o)] ?? 0) + 1;
  return out;
}

test('members given as join paths compile to the member and the route', () => {
  const pa = model.preAggregations.get('orders.by_home_city')!;
  assert.deepEqual(pa.dimensions, ['cities.name']);
  assert.deepEqual(pa.joinHints, [['orders', 'users', 'cities']]);
});

test('the rollup rows are built over the join path: home cities, not shipping cities', async () => {
  const pa = model.preAggregations.get('orders.by_home_city')!;
  const source = createSourceEngine({ getModel: () => model, driver: duck, dialect: 'duckdb' });
  const rows = await source.load(rollupQuery(model, pa, 'UTC'));
  const got = Object.fromEntries(rows.map((r) => [String(r['cities.name']), Number(r['orders.count'])]));
  const home = tally((o) => cityName(USERS.find((u) => u[0] === o[1])![1]));
  assert.deepEqual(got, home);
  assert.notDeepEqual(home, tally((o) => cityName(o[2])), 'the fixture tells the routes apart');
});

test('it answers a query over the same joins only', () => {
  const pa = model.preAggregations.get('orders.by_home_city')!;
  const check = (raw: Record<string, unknown>) => {
    const q = normalizeQuery(raw, model);
    const members = [...q.measures, ...q.dimensions];
    return sameJoinRoutes(model, q, members, pa, routedQuery(model, q, members));
  };
  assert.equal(check({ measures: ['customer_orders.count'], dimensions: ['customer_orders.cities_name'] }), true);
  assert.equal(check({ measures: ['orders.count'], dimensions: ['cities.name'] }), false, 'the shortest route is the shipping city');
});

test('a rollup over the shortest route does not answer a view member walking another route', () => {
  const pa = model.preAggregations.get('orders.by_ship_city')!;
  const check = (raw: Record<string, unknown>) => {
    const q = normalizeQuery(raw, model);
    const members = [...q.measures, ...q.dimensions];
    return sameJoinRoutes(model, q, members, pa, routedQuery(model, q, members));
  };
  assert.equal(check({ measures: ['orders.count'], dimensions: ['cities.name'] }), true);
  assert.equal(check({ measures: ['customer_orders.count'], dimensions: ['customer_orders.cities_name'] }), false);
});
