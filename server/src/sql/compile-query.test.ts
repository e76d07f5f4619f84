// compileQuery end to end on real DuckDB: views, FILTER_PARAMS, SECURITY_CONTEXT, custom granularities, total, annotation, pre-aggregation matches, sub_query dimensions.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { fixtureStatements, ORDERS, QM_MODEL, USERS } from '../query/test-fixture.ts';
import { DuckDbDriver } from '../drivers/duckdb-driver.ts';
import { UserError } from '../errors.ts';
import type { PreAggMatch } from '../planner/types.ts';
import { compileQuery } from './compile-query.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileYamlModel } from '../query/test-model.ts';

const model = compileYamlModel({
  'shop.yml': QM_MODEL,
  'views.yml': `
views:
  - name: shop
    cubes:
      - {join_path: orders, includes: [count, total, status, created_at]}
      - {join_path: orders.users, prefix: true, includes: [city]}
`,
  'filtered.js': `
cube('filtered', {
  sql: \`SELECT * FROM qm_orders WHERE \${FILTER_PARAMS.filtered.created_at.filter('created_at')}
    AND \${FILTER_PARAMS.filtered.created_at.filter((from, to) => \`created_at >= \${from} AND created_at <= \${to}\`)}
    AND \${SECURITY_CONTEXT.user_id.filter('user_id')}\`,
  measures: { count: { type: 'count' } },
  dimensions: {
    id: { sql: 'id', type: 'number', primaryKey: true },
    created_at: { sql: 'created_at', type: 'time', granularities: { fiscal_year: { interval: '1 year', offset: '3 months' } } },
    owner: { sql: \`\${SECURITY_CONTEXT.user_id}\`, type: 'number' },
  },
});
cube('buyers', {
  sql_table: 'qm_users',
  joins: { orders: { relationship: 'one_to_many', sql: \`\${CUBE}.id = \${orders}.user_id\` } },
  measures: { count: { type: 'count' } },
  dimensions: {
    id: { sql: 'id', type: 'number', primaryKey: true },
    spent: { sql: \`\${orders.total}\`, type: 'number', subQuery: true },
  },
});
cube('lonely', { sql_table: 'qm_users', measures: { count: { type: 'count' } }, dimensions: { id: { sql: 'id', type: 'number', primaryKey: true } } });
`,
});

let duck: DuckDbDriver;
before(async () => {
  duck = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 30_000, defineEvents: false });
  for (const s of fixtureStatements('duckdb')) await duck.query(s, []);
});
after(() => duck.close());

const run = async (raw: unknown, opts: Partial<Parameters<typeof compileQuery>[2]> = {}) => {
  const c = compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb', ...opts });
  const rows = await duck.query(c.sql, c.params);
  return { c, rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [c.aliasToMember[k] ?? k, v]))) };
};

test('a view resolves to its cubes and join path, with the same rows', async () => {
  const viaView = await run({ measures: ['shop.count', 'shop.total'], dimensions: ['shop.users_city'], order: { 'shop.users_city': 'asc' } });
  const direct = await run({ measures: ['orders.count', 'orders.total'], dimensions: ['users.city'], order: { 'users.city': 'asc' } });
  assert.deepEqual(viaView.rows.map((r) => [r['shop.users_city'], r['shop.count'], r['shop.total']]), direct.rows.map((r) => [r['users.city'], r['orders.count'], r['orders.total']]));
  assert.match(viaView.c.sql, /LEFT JOIN qm_users AS "users"/);
  assert.equal(viaView.c.annotation.measures['shop.count'].type, 'number');
});

test('FILTER_PARAMS push the query filters into the cube SQL; absent ones become 1 = 1', async () => {
  const q = { measures: ['filtered.count'], timeDimensions: [{ dimension: 'filtered.created_at', dateRange: ['2024-03-09', '2024-03-10'] }] };
  const { c, rows } = await run(q);
  assert.match(c.sql, /WHERE \(created_at >= CAST\(\$1 AS TIMESTAMP\) AND created_at <= CAST\(\$2 AS TIMESTAMP\)\)\n    AND created_at >= CAST\(\$3 AS TIMESTAMP\) AND created_at <= CAST\(\$4 AS TIMESTAMP\)\n    AND 1 = 1/);
  assert.deepEqual(c.params.slice(0, 4), ['2024-03-09T00:00:00.000', '2024-03-10T23:59:59.999', '2024-03-09T00:00:00.000', '2024-03-10T23:59:59.999']);
  assert.equal(Number(rows[0]['filtered.count']), ORDERS.filter((o) => o.created_at >= '2024-03-09' && o.created_at < '2024-03-11').length);
  const all = await run({ measures: ['filtered.count'] });
  assert.match(all.c.sql, /WHERE 1 = 1\n    AND 1 = 1\n    AND 1 = 1/);
  assert.equal(Number(all.rows[0]['filtered.count']), ORDERS.length);
});

test('SECURITY_CONTEXT values are bound parameters, never inlined', async () => {
  const evil = "1' OR '1'='1";
  const c = compileQuery(model, normalizeQuery({ measures: ['filtered.count'], dimensions: ['filtered.owner'] }, model), { dialect: 'duckdb', securityContext: { user_id: evil } });
  assert.ok(!c.sql.includes("OR '1'='1"));
  assert.deepEqual(c.params, [evil, evil]);
  // Bound as a value, the string cannot become SQL: the engine refuses it as an integer.
  await assert.rejects(duck.query(c.sql, c.params), /Could not convert string/);
  const mine = await run({ measures: ['filtered.count'], dimensions: ['filtered.owner'] }, { securityContext: { user_id: 1 } });
  assert.deepEqual(mine.rows, [{ 'filtered.owner': 1, 'filtered.count': String(ORDERS.filter((o) => o.user_id === 1).length) }]);
});

test('custom granularity with an offset (fiscal year from April)', async () => {
  const { rows } = await run({ measures: ['filtered.count'], timeDimensions: [{ dimension: 'filtered.created_at', granularity: 'fiscal_year' }] });
  const expected = new Map<string, number>();
  for (const o of ORDERS) { const y = Number(o.created_at.slice(0, 4)) - (Number(o.created_at.slice(5, 7)) < 4 ? 1 : 0); const k = `${y}-04-01T00:00:00.000`; expected.set(k, (expected.get(k) ?? 0) + 1); }
  assert.deepEqual(rows.map((r) => [r['filtered.created_at.fiscal_year'], Number(r['filtered.count'])]), [...expected].sort());
});

test('total: true gives a count query without limit and offset', async () => {
  const c = compileQuery(model, normalizeQuery({ dimensions: ['orders.id'], total: true, limit: 2, offset: 1 }, model), { dialect: 'duckdb' });
  assert.ok(c.totalQuery && !/LIMIT/.test(c.totalQuery.sql));
  const [row] = await duck.query(c.totalQuery.sql, c.totalQuery.params);
  assert.equal(Number(row.total_count), ORDERS.length);
  assert.equal((await duck.query(c.sql, c.params)).length, 2);
});

test('annotation follows Cube: titles, types, time dimension granularity', () => {
  const c = compileQuery(model, normalizeQuery({ measures: ['orders.count'], dimensions: ['users.city'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day' }] }, model), { dialect: 'duckdb' });
  assert.deepEqual(c.annotation.measures['orders.count'], { title: 'Orders Count', shortTitle: 'Count', type: 'number', drillMembers: [], drillMembersGrouped: { measures: [], dimensions: [] } });
  assert.equal(c.annotation.dimensions['users.city'].type, 'string');
  assert.deepEqual(c.annotation.timeDimensions['orders.created_at.day'].granularity, { name: 'day', title: 'day', interval: '1 day' });
  assert.equal(c.annotation.timeDimensions['orders.created_at'].type, 'time');
  assert.deepEqual(c.aliasToMember, { users__city: 'users.city', orders__created_at_day: 'orders.created_at.day', orders__count: 'orders.count' });
});

test('cubes without a join path fail with Cube wording', () => {
  assert.throws(() => compileQuery(model, normalizeQuery({ measures: ['orders.count', 'lonely.count'] }, model), { dialect: 'duckdb' }),
    (e: unknown) => e instanceof UserError && /Can't find join path to join 'orders', 'lonely'/.test(e.message));
});

test('a pre-aggregation match reads the rollup table and re-aggregates to a coarser granularity', async () => {
  await duck.query(`CREATE SCHEMA IF NOT EXISTS qm_pre`, []);
  await duck.query(`CREATE OR REPLACE TABLE qm_pre.orders_by_day AS SELECT status AS st, date_trunc('day', created_at) AS d, count(*) AS cnt, sum(amount) AS tot FROM qm_orders GROUP BY 1, 2`, []);
  const match: PreAggMatch = {
    preAggregation: 'orders.by_day', tables: ['qm_pre.orders_by_day'], timezone: 'UTC', type: 'rollup',
    columns: { 'orders.status': 'st', 'orders.created_at.day': 'd', 'orders.count': 'cnt', 'orders.total': 'tot' },
    timeDimension: { member: 'orders.created_at', granularity: 'day' },
  };
  const q = { measures: ['orders.count', 'orders.total'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'month', dateRange: ['2024-03-01', '2024-04-30'] }], filters: [{ member: 'orders.status', operator: 'notEquals', values: ['new'] }] };
  const viaRollup = await run(q, { preAggregations: { match: () => match } });
  const viaSource = await run(q);
  assert.match(viaRollup.c.sql, /FROM "qm_pre"\."orders_by_day" AS "rollup"/);
  assert.doesNotMatch(viaRollup.c.sql, /qm_orders/);
  assert.deepEqual(viaRollup.c.usedPreAggregations, { 'orders.by_day': { targetTableName: 'qm_pre.orders_by_day', type: 'rollup' } });
  assert.deepEqual(viaRollup.rows.map((r) => [r['orders.created_at.month'], Number(r['orders.count']), Number(r['orders.total'])]),
    viaSource.rows.map((r) => [r['orders.created_at.month'], Number(r['orders.count']), Number(r['orders.total'])]));
  assert.equal(viaSource.rows.length, 2);
});

test('users fixture sanity: the view and cubes see every user', async () => {
  const { rows } = await run({ measures: ['users.count'] });
  assert.equal(Number(rows[0]['users.count']), USERS.length);
});

test('a sub_query dimension aggregates the other cube per primary key and can be grouped by', async () => {
  const { c, rows } = await run({ measures: ['buyers.count'], dimensions: ['buyers.id', 'buyers.spent'], order: { 'buyers.id': 'asc' } });
  assert.match(c.sql, /LEFT JOIN \(\nSELECT "buyers".id "pk", sum\("orders".amount\) "val"/);
  assert.deepEqual(rows.map((r) => [r['buyers.id'], r['buyers.spent'] === null ? null : Number(r['buyers.spent']), Number(r['buyers.count'])]),
    USERS.map((u) => { const os = ORDERS.filter((o) => o.user_id === u.id); return [u.id, os.length ? os.reduce((a, o) => a + o.amount, 0) : null, 1]; }));
});

test('a measure filter on an unselected measure works when the query is split for fan-out', async () => {
  const { rows } = await run({ measures: ['items.count'], dimensions: ['orders.status'], filters: [{ member: 'orders.total', operator: 'gte', values: ['30'] }], order: { 'orders.status': 'asc' } });
  const statuses = [...new Set(ORDERS.map((o) => o.status))].filter((s) => ORDERS.filter((o) => o.status === s).reduce((a, o) => a + o.amount, 0) >= 30);
  assert.deepEqual(rows.map((r) => r['orders.status']).sort(), statuses.sort());
  assert.ok(rows.every((r) => !('orders.total' in r)));
});

test('ungrouped rows show 1 for a plain count and raw values for others', async () => {
  const { rows } = await run({ dimensions: ['orders.id'], measures: ['orders.count', 'orders.total'], ungrouped: true, order: { 'orders.id': 'asc' }, limit: 2 });
  assert.deepEqual(rows.map((r) => [r['orders.id'], r['orders.count'], Number(r['orders.total'])]), [[1, 1, 10], [2, 1, 20]]);
});

test('rolling window by another dimension keeps only windows with rows', async () => {
  const { rows } = await run({ measures: ['orders.rolling_3d'], dimensions: ['orders.status'], filters: [{ member: 'orders.status', operator: 'equals', values: ['done'] }],
    timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-03-07', '2024-03-13'] }], order: { 'orders.created_at': 'asc' } });
  // 'done' orders at 03-08 12:00 and 03-09 03:30 (UTC); a 3-day trailing window ending each day.
  const expected = ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11'].map((d) => {
    const end = Date.parse(`${d}T23:59:59.999Z`);
    const n = ORDERS.filter((o) => o.status === 'done' && Date.parse(`${o.created_at.replace(' ', 'T')}Z`) <= end && Date.parse(`${o.created_at.replace(' ', 'T')}Z`) > end - 3 * 86_400_000).length;
    return [`${d}T00:00:00.000`, 'done', n];
  });
  assert.deepEqual(rows.map((r) => [r['orders.created_at.day'], r['orders.status'], Number(r['orders.rolling_3d'])]), expected);
});

test('a time member asked for in dimensions is returned as stored, whatever the query time zone (Cube)', async () => {
  const { rows } = await run({ dimensions: ['orders.id', 'orders.created_at'], timezone: 'Asia/Tokyo', filters: [{ member: 'orders.id', operator: 'equals', values: ['5'] }] });
  const stored = ORDERS.find((o) => o.id === 5)!.created_at;
  assert.deepEqual(rows, [{ 'orders.id': 5, 'orders.created_at': `${stored.replace(' ', 'T')}.000` }]);
});

test("a calculated measure is computed from the rollup's re-aggregated components", async () => {
  await duck.query(`CREATE SCHEMA IF NOT EXISTS qm_pre`, []);
  await duck.query(`CREATE OR REPLACE TABLE qm_pre.orders_by_status_day AS SELECT status AS st, date_trunc('day', created_at) AS d, count(*) AS cnt, sum(amount) AS tot FROM qm_orders GROUP BY 1, 2`, []);
  const match: PreAggMatch = {
    preAggregation: 'orders.by_status_day', tables: ['qm_pre.orders_by_status_day'], timezone: 'UTC',
    columns: { 'orders.status': 'st', 'orders.created_at.day': 'd', 'orders.count': 'cnt', 'orders.total': 'tot' },
    timeDimension: { member: 'orders.created_at', granularity: 'day' },
  };
  const q = { measures: ['orders.avg_ticket'], dimensions: ['orders.status'], order: { 'orders.status': 'asc' } };
  const viaRollup = await run(q, { preAggregations: { match: () => match } });
  assert.match(viaRollup.c.sql, /1\.0 \* sum\("rollup"\."tot"\) \/ sum\("rollup"\."cnt"\) "orders__avg_ticket"/);
  const viaSource = await run(q);
  assert.deepEqual(viaRollup.rows.map((r) => [r['orders.status'], Number(r['orders.avg_ticket']).toFixed(6)]), viaSource.rows.map((r) => [r['orders.status'], Number(r['orders.avg_ticket']).toFixed(6)]));
});

test('rolling windows: month-to-date and a leading window from the bucket start', async () => {
  const days = ['2024-03-08', '2024-03-09', '2024-03-10', '2024-03-11', '2024-03-12'];
  const { rows } = await run({ measures: ['orders.mtd_total', 'orders.next_2d'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', dateRange: [days[0], days[4]] }] });
  const at = (o: typeof ORDERS[number]) => Date.parse(`${o.created_at.replace(' ', 'T')}Z`);
  assert.deepEqual(rows.map((r) => [r['orders.created_at.day'], Number(r['orders.mtd_total'] ?? 0), Number(r['orders.next_2d'])]), days.map((d) => {
    const start = Date.parse(`${d}T00:00:00Z`), end = start + 86_400_000 - 1;
    const mtd = ORDERS.filter((o) => at(o) >= Date.parse('2024-03-01T00:00:00Z') && at(o) <= end).reduce((a, o) => a + o.amount, 0);
    const next = ORDERS.filter((o) => at(o) >= start && at(o) < start + 2 * 86_400_000).length;
    return [`${d}T00:00:00.000`, mtd, next];
  }));
});

test('readsOnlyPreAggregations: a rollup answer, or original_sql for every cube read; never the source or a sub-query', () => {
  const match: PreAggMatch = {
    preAggregation: 'orders.by_day', tables: ['qm_pre.orders_by_day'], timezone: 'UTC', type: 'rollup',
    columns: { 'orders.count': 'cnt', 'orders.created_at.day': 'd' }, timeDimension: { member: 'orders.created_at', granularity: 'day' },
  };
  const compile = (raw: object, preAggregations?: Parameters<typeof compileQuery>[2]['preAggregations']) =>
    compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb', preAggregations });
  const originalSql = (cubes: readonly string[]) => ({
    match: () => null,
    originalSql: (cube: string) => (cubes.includes(cube) ? { preAggregation: `${cube}.table`, from: `read_parquet('${cube}.parquet')`, targetTableName: `${cube}_table` } : null),
  });
  assert.equal(compile({ measures: ['orders.count'] }).readsOnlyPreAggregations, false, 'the source');
  assert.equal(compile({ measures: ['orders.count'] }, { match: () => match }).readsOnlyPreAggregations, true, 'a rollup');
  assert.equal(compile({ measures: ['orders.count'], dimensions: ['users.city'] }, originalSql(['orders', 'users'])).readsOnlyPreAggregations, true, 'original_sql for both cubes');
  assert.equal(compile({ measures: ['orders.count'], dimensions: ['users.city'] }, originalSql(['orders'])).readsOnlyPreAggregations, false, 'users read from the source');
  assert.equal(compile({ measures: ['buyers.count'], dimensions: ['buyers.spent'] }, originalSql(['buyers', 'orders'])).readsOnlyPreAggregations, false, 'a sub-query dimension');
  const staleTail = {
    match: () => null,
    originalSql: (cube: string) => ({ preAggregation: `${cube}.table`, from: `read_parquet('${cube}.parquet')`, targetTableName: `${cube}_table`, sourceRows: () => 'SELECT * FROM raw_orders' }),
  };
  assert.equal(compile({ measures: ['orders.count'] }, staleTail).readsOnlyPreAggregations, false, 'days newer than the build read from the source');
});
