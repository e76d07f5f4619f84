// Issue #15, as Cube's documentation defines it, through the real API (REST via the official
// @cubejs-client/core, and GraphQL) on DuckDB and MariaDB, and PrestoDB/Trino when the shared
// engines are up (WEBCUBE_TEST_ENGINES). The truth is counted here from the fixture rows:
// - join paths: a view member walks its join_path (a user's home city, not the order's
//   shipping city the shortest route reaches), legacy `includes` and drill_members take paths,
//   and measures of a cube the joins repeat are not counted twice (fan-out, also through a
//   one_to_many further along the tree);
// - a join condition naming other cubes (`{users.id} = {pairs.user_id} AND {items.id} = …`)
//   joins those cubes first, also when a dimension reaches through that join;
// - a string column declared `type: time` is read as a timestamp;
// - a time member asked for in `dimensions` is returned as stored, whatever the query's zone.
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

const SECRET = 'join-paths-secret';
const P = `jp${process.pid}_`;

type Cell = string | number;
interface Table { readonly name: string; readonly columns: readonly [string, 'int' | 'text' | 'num' | 'ts'][]; readonly rows: readonly Cell[][] }

const CITIES = [[1, 'Paris'], [2, 'Lyon'], [3, 'Nice']] as const;
const USERS = [[1, 'ann', 1], [2, 'bob', 2], [3, 'cid', 1]] as const;
const REVIEWS = [[1, 1], [2, 1], [3, 2]] as const;
// id, user_id, ship_city_id, amount, placed_at (text), created_at (timestamp, UTC)
const ORDERS = [
  [1, 1, 2, 10, '2024-01-05 10:00:00', '2024-01-05 23:30:00'],
  [2, 1, 3, 20, '2024-01-06 01:00:00', '2024-01-06 00:30:00'],
  [3, 2, 1, 30, '2024-01-06 12:00:00', '2024-01-06 12:00:00'],
  [4, 3, 1, 40, '2024-02-01 00:00:00', '2024-02-01 03:00:00'],
  [5, 2, 2, 50, '2024-01-31 23:59:59', '2024-01-31 23:59:59'],
] as const;
const LINE_ITEMS = [[1, 1, 1], [2, 1, 2], [3, 2, 5], [4, 3, 1], [5, 3, 1], [6, 3, 1], [7, 5, 2]] as const;
const ITEMS = [[1, 'apple'], [2, 'pear']] as const;
const PAIRS = [[1, 1, 1, 'ann-apple'], [2, 1, 2, 'ann-pear'], [3, 2, 1, 'bob-apple']] as const;
const FACTS = [[1, 1, 1, 5], [2, 1, 1, 7], [3, 1, 2, 1], [4, 2, 1, 3], [5, 2, 2, 4], [6, 3, 1, 9]] as const;

const TABLES: Table[] = [
  { name: 'cities', columns: [['id', 'int'], ['name', 'text']], rows: CITIES.map((r) => [...r]) },
  { name: 'users', columns: [['id', 'int'], ['name', 'text'], ['city_id', 'int']], rows: USERS.map((r) => [...r]) },
  { name: 'reviews', columns: [['id', 'int'], ['user_id', 'int']], rows: REVIEWS.map((r) => [...r]) },
  { name: 'orders', columns: [['id', 'int'], ['user_id', 'int'], ['ship_city_id', 'int'], ['amount', 'num'], ['placed_at', 'text'], ['created_at', 'ts']], rows: ORDERS.map((r) => [...r]) },
  { name: 'line_items', columns: [['id', 'int'], ['order_id', 'int'], ['qty', 'int']], rows: LINE_ITEMS.map((r) => [...r]) },
  { name: 'items', columns: [['id', 'int'], ['name', 'text']], rows: ITEMS.map((r) => [...r]) },
  { name: 'pairs', columns: [['id', 'int'], ['user_id', 'int'], ['item_id', 'int'], ['label', 'text']], rows: PAIRS.map((r) => [...r]) },
  { name: 'facts', columns: [['id', 'int'], ['user_id', 'int'], ['item_id', 'int'], ['value', 'int']], rows: FACTS.map((r) => [...r]) },
];

// The shop cubes and views in YAML, as Cube's docs write them.
const SHOP_YML = `
cubes:
  - name: orders
    sql_table: ${P}orders
    joins:
      - name: users
        relationship: many_to_one
        sql: "{CUBE}.user_id = {users.id}"
      - name: cities
        relationship: many_to_one
        sql: "{CUBE}.ship_city_id = {cities.id}"
      - name: line_items
        relationship: one_to_many
        sql: "{CUBE}.id = {line_items.order_id}"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
        public: true
      - name: placed_at
        sql: placed_at
        type: time
      - name: created_at
        sql: created_at
        type: time
      - name: city_label
        sql: "{cities.name}"
        type: string
    measures:
      - name: count
        type: count
        drill_members: [id, orders.users.name, orders.users.cities.name]
      - name: total_amount
        sql: amount
        type: sum

  - name: users
    sql_table: ${P}users
    joins:
      - name: cities
        relationship: many_to_one
        sql: "{CUBE}.city_id = {cities.id}"
      - name: reviews
        relationship: one_to_many
        sql: "{CUBE}.id = {reviews.user_id}"
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string
    measures:
      - name: count
        type: count

  - name: cities
    sql_table: ${P}cities
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: name
        sql: name
        type: string

  - name: reviews
    sql_table: ${P}reviews
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: user_id
        sql: user_id
        type: number
    measures:
      - name: count
        type: count

  - name: line_items
    sql_table: ${P}line_items
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: order_id
        sql: order_id
        type: number
    measures:
      - name: total_qty
        sql: qty
        type: sum

views:
  - name: customer_orders
    cubes:
      - join_path: orders
        includes: [count, total_amount, city_label]
      - join_path: orders.users
        prefix: true
        includes: [name]
      - join_path: orders.users.cities
        alias: home_city
        prefix: true
        includes: [name]
      - join_path: orders.line_items
        includes: [total_qty]
      - join_path: orders.users.reviews
        prefix: true
        includes: [count]

  - name: orders_legacy
    includes:
      - orders.count
      - orders.users.cities.name
`;

// Cubes whose join condition names other cubes, in JavaScript, as Cube's docs write them.
const PAIRS_JS = `
cube(\`facts\`, {
  sql_table: \`${P}facts\`,
  joins: {
    users: { relationship: \`many_to_one\`, sql: \`\${CUBE}.user_id = \${users.id}\` },
    items: { relationship: \`many_to_one\`, sql: \`\${CUBE}.item_id = \${items.id}\` },
    pairs: { relationship: \`many_to_one\`, sql: \`\${users.id} = \${pairs.user_id} AND \${items.id} = \${pairs.item_id}\` },
  },
  dimensions: {
    id: { sql: \`id\`, type: \`number\`, primary_key: true },
    pair_label: { sql: \`\${pairs.label}\`, type: \`string\` },
  },
  measures: {
    count: { type: \`count\` },
    total_value: { sql: \`value\`, type: \`sum\` },
  },
});

cube(\`items\`, {
  sql_table: \`${P}items\`,
  dimensions: { id: { sql: \`id\`, type: \`number\`, primary_key: true }, name: { sql: \`name\`, type: \`string\` } },
});

cube(\`pairs\`, {
  sql_table: \`${P}pairs\`,
  dimensions: {
    id: { sql: \`id\`, type: \`number\`, primary_key: true },
    label: { sql: \`label\`, type: \`string\` },
    user_id: { sql: \`user_id\`, type: \`number\` },
    item_id: { sql: \`item_id\`, type: \`number\` },
  },
});
`;

// ---- truth, from the rows ----
const cityName = (id: number) => CITIES.find((c) => c[0] === id)![1];
const userOf = (id: number) => USERS.find((u) => u[0] === id)!;
function tally<T>(rows: readonly T[], key: (r: T) => string | null, value: (r: T) => number = () => 1): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of rows) { const k = String(key(r)); out[k] = (out[k] ?? 0) + value(r); }
  return out;
}
const homeCityCounts = tally(ORDERS, (o) => cityName(userOf(o[1])[2]));
const shipCityCounts = tally(ORDERS, (o) => cityName(o[2]));
const pairLabel = (f: typeof FACTS[number]) => PAIRS.find((p) => p[1] === f[1] && p[2] === f[2])?.[3] ?? null;
const localIso = (s: string) => `${s.replace(' ', 'T')}.000`;

type Engine = 'duckdb' | 'mariadb' | 'presto' | 'trino';

function literal(v: Cell, type: string): string {
  if (type === 'ts') return `TIMESTAMP '${v}'`;
  return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
}

async function loadTables(engine: Engine, dir: string): Promise<{ env: Record<string, string>; drop: () => Promise<void> }> {
  if (engine === 'duckdb') {
    const path = join(dir, 'shop.duckdb');
    const instance = await DuckDBInstance.create(path);
    const conn = await instance.connect();
    const types = { int: 'INTEGER', text: 'VARCHAR', num: 'DOUBLE', ts: 'TIMESTAMP' };
    for (const t of TABLES) {
      await conn.run(`CREATE TABLE ${P}${t.name} (${t.columns.map(([c, ty]) => `${c} ${types[ty]}`).join(', ')})`);
      for (const r of t.rows) await conn.run(`INSERT INTO ${P}${t.name} VALUES (${r.map(() => '?').join(', ')})`, r as never);
    }
    conn.closeSync();
    instance.closeSync();
    return { env: { CUBEJS_DB_TYPE: 'duckdb', CUBEJS_DB_DUCKDB_DATABASE_PATH: path }, drop: async () => {} };
  }
  if (engine === 'mariadb') {
    const conn = await createConnection(MARIADB);
    const types = { int: 'INT', text: 'VARCHAR(32)', num: 'DOUBLE', ts: 'DATETIME' };
    for (const t of TABLES) {
      await conn.query(`CREATE TABLE ${P}${t.name} (${t.columns.map(([c, ty]) => `${c} ${types[ty]}`).join(', ')})`);
      await conn.query(`INSERT INTO ${P}${t.name} VALUES ?`, [t.rows]);
    }
    await conn.end();
    return {
      env: { CUBEJS_DB_TYPE: 'mysql', CUBEJS_DB_HOST: MARIADB.host, CUBEJS_DB_PORT: String(MARIADB.port), CUBEJS_DB_USER: MARIADB.user, CUBEJS_DB_NAME: MARIADB.database },
      drop: async () => {
        const c = await createConnection(MARIADB);
        for (const t of TABLES) await c.query(`DROP TABLE IF EXISTS ${P}${t.name}`);
        await c.end();
      },
    };
  }
  const { testEngine, uniqueSchema } = await import('./engines.ts');
  const e = await testEngine(engine);
  const schema = uniqueSchema('joinpaths');
  await e.run(`CREATE SCHEMA memory.${schema}`);
  const types = { int: 'INTEGER', text: 'VARCHAR', num: 'DOUBLE', ts: 'TIMESTAMP' };
  for (const t of TABLES) {
    await e.run(`CREATE TABLE memory.${schema}.${P}${t.name} (${t.columns.map(([c, ty]) => `${c} ${types[ty]}`).join(', ')})`);
    await e.run(`INSERT INTO memory.${schema}.${P}${t.name} VALUES ${t.rows.map((r) => `(${r.map((v, i) => literal(v, t.columns[i]![1])).join(', ')})`).join(', ')}`);
  }
  return {
    env: e.settings('memory', schema),
    drop: async () => { for (const t of TABLES) await e.run(`DROP TABLE IF EXISTS memory.${schema}.${P}${t.name}`); },
  };
}

const shared = (process.env.WEBCUBE_TEST_ENGINES ?? '').split(',').map((p) => p.split('=')[0]).filter((n): n is Engine => n === 'presto' || n === 'trino');
const ENGINES: Engine[] = ['duckdb', 'mariadb', ...shared];

for (const engine of ENGINES) {
  describe(`join paths, join conditions and time members on ${engine}`, () => {
    let dir: string;
    let server: RunningServer;
    let api: CubeApi;
    let gqlClient: GraphQLClient;
    let drop: () => Promise<void> = async () => {};

    before(async () => {
      dir = await mkdtemp(join(tmpdir(), `join-paths-${engine}-`));
      await mkdir(join(dir, 'model'));
      await writeFile(join(dir, 'model', 'shop.yml'), SHOP_YML);
      await writeFile(join(dir, 'model', 'pairs.js'), PAIRS_JS);
      const loaded = await loadTables(engine, dir);
      drop = loaded.drop;
      server = await startServer(loadServerConfig({
        PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: join(dir, 'model'),
        WEBCUBE_DATA_DIR: dir, WEBCUBE_DASHBOARD_DIR: join(dir, 'none'), CUBEJS_DEV_MODE: 'false', ...loaded.env,
      }), { options: {} });
      const token = await signToken({}, SECRET, { expiresIn: '1h' });
      api = cube(token, { apiUrl: `${server.url}/cubejs-api/v1` });
      gqlClient = new GraphQLClient(`${server.url}/cubejs-api/graphql`, { headers: { Authorization: token } });
    });

    after(async () => {
      await server?.close();
      await drop();
      await rm(dir, { recursive: true, force: true });
    });

    const rows = async (query: Record<string, unknown>) => (await api.load(query)).rawData() as Record<string, unknown>[];
    const byKey = (rs: Record<string, unknown>[], key: string, value: string) =>
      Object.fromEntries(rs.map((r) => [String(r[key]), r[value] === null ? null : Number(r[value])]));

    test('a view member walks its join_path: the home city of the order\'s user, not the shipping city', async () => {
      assert.notDeepEqual(homeCityCounts, shipCityCounts, 'the fixture tells the two routes apart');
      const view = await rows({ measures: ['customer_orders.count'], dimensions: ['customer_orders.home_city_name'] });
      assert.deepEqual(byKey(view, 'customer_orders.home_city_name', 'customer_orders.count'), homeCityCounts);
      // The cube's own shortest route (orders → cities) is the shipping city, as in Cube.
      const plain = await rows({ measures: ['orders.count'], dimensions: ['cities.name'] });
      assert.deepEqual(byKey(plain, 'cities.name', 'orders.count'), shipCityCounts);
      // A member whose SQL names a cube the view reaches takes the view's route to it (Cube's join map).
      const viaSql = await rows({ measures: ['customer_orders.count'], dimensions: ['customer_orders.city_label'] });
      assert.deepEqual(byKey(viaSql, 'customer_orders.city_label', 'customer_orders.count'), homeCityCounts);
      const cubeSql = await rows({ measures: ['orders.count'], dimensions: ['orders.city_label'] });
      assert.deepEqual(byKey(cubeSql, 'orders.city_label', 'orders.count'), shipCityCounts);
      // Legacy `includes` with a path: the same route.
      const legacy = await rows({ measures: ['orders_legacy.count'], dimensions: ['orders_legacy.name'] });
      assert.deepEqual(byKey(legacy, 'orders_legacy.name', 'orders_legacy.count'), homeCityCounts);
      const res = await gqlClient.request<{ cube: { customer_orders: { count: number; home_city_name: string } }[] }>(gql`
        { cube { customer_orders { count home_city_name } } }
      `);
      assert.deepEqual(Object.fromEntries(res.cube.map((r) => [r.customer_orders.home_city_name, r.customer_orders.count])), homeCityCounts);
    });

    test('measures of a cube the joins repeat are not counted twice (fan-out)', async () => {
      // orders one_to_many line_items: each order's amount once per user, whatever its line items.
      const perUser = await rows({ measures: ['customer_orders.total_amount', 'customer_orders.total_qty'], dimensions: ['customer_orders.users_name'] });
      const amountTruth = tally(ORDERS, (o) => userOf(o[1])[1], (o) => o[3]);
      const qtyTruth: Record<string, number | null> = {};
      for (const u of USERS) {
        const items = LINE_ITEMS.filter((li) => ORDERS.some((o) => o[0] === li[1] && o[1] === u[0]));
        qtyTruth[u[1]] = items.length ? items.reduce((a, li) => a + li[2], 0) : null;
      }
      assert.deepEqual(byKey(perUser, 'customer_orders.users_name', 'customer_orders.total_amount'), amountTruth);
      assert.deepEqual(byKey(perUser, 'customer_orders.users_name', 'customer_orders.total_qty'), qtyTruth);
      // users one_to_many reviews further along the tree repeats the orders too; and the reviews
      // are repeated by each order of their user.
      const total = await rows({ measures: ['customer_orders.total_amount', 'customer_orders.count', 'customer_orders.reviews_count'] });
      const reviewed = REVIEWS.filter((r) => ORDERS.some((o) => o[1] === r[1])).length;
      assert.deepEqual(total.map((r) => [Number(r['customer_orders.total_amount']), Number(r['customer_orders.count']), Number(r['customer_orders.reviews_count'])]),
        [[ORDERS.reduce((a, o) => a + o[3], 0), ORDERS.length, reviewed]]);
      const res = await gqlClient.request<{ cube: { customer_orders: { total_amount: number; reviews_count: number } }[] }>(gql`
        { cube { customer_orders { total_amount reviews_count } } }
      `);
      assert.deepEqual(res.cube.map((r) => [r.customer_orders.total_amount, r.customer_orders.reviews_count]), [[ORDERS.reduce((a, o) => a + o[3], 0), reviewed]]);
    });

    test('drill_members given as join paths name the members they reach', async () => {
      const meta = await api.meta();
      const count = meta.meta.cubes.find((c) => c.name === 'orders')!.measures.find((m) => m.name === 'orders.count')! as { drillMembers?: string[] };
      assert.deepEqual(count.drillMembers, ['orders.id', 'users.name', 'cities.name']);
    });

    test('a join condition naming other cubes joins them first, also for a dimension reaching through it', async () => {
      const truth = tally(FACTS, pairLabel, (f) => f[3]);
      const byPair = await rows({ measures: ['facts.total_value'], dimensions: ['pairs.label'] });
      assert.deepEqual(byKey(byPair, 'pairs.label', 'facts.total_value'), truth);
      const through = await rows({ measures: ['facts.count'], dimensions: ['facts.pair_label'] });
      assert.deepEqual(byKey(through, 'facts.pair_label', 'facts.count'), tally(FACTS, pairLabel));
      const filtered = await rows({ measures: ['facts.count'], filters: [{ member: 'pairs.label', operator: 'equals', values: ['ann-apple'] }] });
      assert.deepEqual(filtered.map((r) => Number(r['facts.count'])), [FACTS.filter((f) => pairLabel(f) === 'ann-apple').length]);
      const res = await gqlClient.request<{ cube: { facts: { total_value: number }; pairs: { label: string | null } }[] }>(gql`
        { cube { facts { total_value } pairs { label } } }
      `);
      assert.deepEqual(Object.fromEntries(res.cube.map((r) => [String(r.pairs.label), r.facts.total_value])), truth);
    });

    test('a string column declared as a time dimension is read as a timestamp', async () => {
      const inJanuary = ORDERS.filter((o) => o[4] >= '2024-01-01' && o[4] < '2024-02-01');
      const daily = await rows({
        measures: ['orders.count'],
        timeDimensions: [{ dimension: 'orders.placed_at', granularity: 'day', dateRange: ['2024-01-01', '2024-01-31'] }],
      });
      assert.deepEqual(byKey(daily, 'orders.placed_at.day', 'orders.count'), tally(inJanuary, (o) => `${o[4].slice(0, 10)}T00:00:00.000`));
      const raw = await rows({ dimensions: ['orders.id', 'orders.placed_at'], order: { 'orders.id': 'asc' } });
      assert.deepEqual(raw.map((r) => [Number(r['orders.id']), r['orders.placed_at']]), ORDERS.map((o) => [o[0], localIso(o[4])]));
      const res = await gqlClient.request<{ cube: { orders: { count: number; placed_at: { month: string } } }[] }>(gql`
        { cube { orders(orderBy: { placed_at: asc }) { count placed_at { month } } } }
      `);
      assert.deepEqual(Object.fromEntries(res.cube.map((r) => [r.orders.placed_at.month, r.orders.count])),
        tally(ORDERS, (o) => `${o[4].slice(0, 7)}-01T00:00:00.000Z`));
    });

    test('a time member in dimensions is returned as stored; buckets still follow the query zone', async () => {
      const zone = 'America/New_York';
      const raw = await rows({ dimensions: ['orders.id', 'orders.created_at'], timezone: zone, order: { 'orders.id': 'asc' } });
      assert.deepEqual(raw.map((r) => [Number(r['orders.id']), r['orders.created_at']]), ORDERS.map((o) => [o[0], localIso(o[5])]));
      const wallDay = (utc: string) => new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(`${utc.replace(' ', 'T')}Z`));
      const daily = await rows({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day' }], timezone: zone });
      assert.deepEqual(byKey(daily, 'orders.created_at.day', 'orders.count'), tally(ORDERS, (o) => `${wallDay(o[5])}T00:00:00.000`));
    });
  });
}
