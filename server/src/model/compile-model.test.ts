// The compiled model: YAML and JS forms of one schema give the same model, and references,
// joins, views, pre-aggregations and extends come out as the planner and pre-aggs expect.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixtureDir } from './fixtures/read-fixture.ts';
import { compileModelFromSources, loadModel, readModelSources } from './load-model.ts';
import type { CompiledModel, Dimension, Measure } from './types.ts';

/** Model as plain data without source locations (they differ between YAML and JS files). */
function plain(model: CompiledModel): unknown {
  return JSON.parse(JSON.stringify(model, (k, v: unknown) =>
    (v instanceof Map ? Object.fromEntries(v) : k === 'location' ? undefined : v)));
}

async function both(): Promise<[CompiledModel, CompiledModel]> {
  const y = await loadModel({ schemaPath: fixtureDir('yaml') });
  const j = await loadModel({ schemaPath: fixtureDir('js') });
  assert.deepEqual(y.errors, []);
  assert.deepEqual(j.errors, []);
  return [y.model, j.model];
}

describe('compile model', () => {
  it('compiles the YAML and the JS form of the same schema to the same model', async () => {
    const [y, j] = await both();
    assert.deepEqual(plain(y), plain(j));
    assert.deepEqual([...y.cubes.keys()], ['orders', 'users', 'line_items', 'orders_view']);
  });

  it('resolves CUBE, own members and other cubes in SQL templates', async () => {
    const [model] = await both();
    const orders = model.cubes.get('orders')!;
    assert.deepEqual(orders.sqlTable, ['public.orders']);
    assert.deepEqual(orders.measures.get('total')!.sql, [{ type: 'cube', cube: 'orders' }, '.amount'], 'bare column is prefixed with CUBE');
    assert.deepEqual(orders.measures.get('avg_amount')!.sql, [
      { type: 'member', cube: 'orders', member: 'total' }, ' / NULLIF(', { type: 'member', cube: 'orders', member: 'count' }, ', 0)',
    ]);
    assert.deepEqual(orders.measures.get('done_total')!.filters, [[{ type: 'cube', cube: 'orders' }, ".status = 'done'"]]);
    assert.equal(orders.measures.get('count')!.sql, undefined);
    assert.deepEqual(orders.measures.get('count')!.drillMembers, ['orders.id', 'orders.created_at', 'users.city']);
    const size = orders.dimensions.get('size')!;
    assert.deepEqual(size.case, { when: [{ sql: [{ type: 'cube', cube: 'orders' }, '.amount > 100'], label: 'big' }], else: { label: 'small' } });
    const loc = orders.dimensions.get('location')!;
    assert.deepEqual([loc.type, loc.latitude, loc.longitude], ['geo', [{ type: 'cube', cube: 'orders' }, '.lat'], [{ type: 'cube', cube: 'orders' }, '.lng']]);
    assert.deepEqual(orders.dimensions.get('created_at')!.granularities, [{ name: 'fiscal_year', interval: '1 year', offset: '3 months' }]);
    assert.deepEqual(model.cubes.get('users')!.sql, [
      'SELECT * FROM public.users WHERE ',
      { type: 'filterParams', cube: 'users', member: 'created_at', column: ['created_at'] },
      ' AND ',
      { type: 'securityContext', path: ['tenant'], mode: 'filter', column: ['tenant_id'] },
    ]);
  });

  it('computes types, visibility, primary keys and rolling windows', async () => {
    const [model] = await both();
    const orders = model.cubes.get('orders')!;
    assert.deepEqual(orders.primaryKeys, ['id']);
    const id = orders.dimensions.get('id')!;
    assert.equal(id.primaryKey, true);
    assert.equal(id.public, false, 'primary keys are hidden unless public: true');
    const rolling = orders.measures.get('rolling_count')!;
    assert.deepEqual([rolling.cumulative, rolling.rollingWindow], [true, { trailing: '7 day' }]);
    assert.equal(orders.measures.get('total')!.format, 'currency');
    assert.deepEqual(orders.refreshKey, { every: '10 minute' });
    assert.deepEqual(orders.meta, { owner_team: 'sales' });
    assert.equal(orders.dataSource, 'default');
  });

  it('builds the join graph with relationships and the side each join multiplies', async () => {
    const [model] = await both();
    const edges = model.joins.map((j) => [j.from, j.to, j.relationship, j.multiplied]);
    assert.deepEqual(edges, [
      ['orders', 'users', 'belongsTo', 'users'],
      ['orders', 'line_items', 'hasMany', 'orders'],
    ]);
    assert.deepEqual(model.joinsFrom.get('orders')!.map((j) => j.to), ['users', 'line_items']);
    assert.deepEqual(model.joinsTo.get('users')!.map((j) => j.from), ['orders']);
    assert.deepEqual(model.joins[0].sql, [{ type: 'cube', cube: 'orders' }, '.user_id = ', { type: 'member', cube: 'users', member: 'id' }]);
    assert.deepEqual(Object.fromEntries(model.connectedComponents), { orders: 1, line_items: 1, users: 1, orders_view: 1 });
  });

  it('accepts every relationship spelling, and a hasOne multiplies nothing', () => {
    const cube = (name: string, rel: string, to: string): string =>
      `  - name: ${name}\n    sql_table: t_${name}\n    joins: [{name: ${to}, relationship: ${rel}, sql: "1=1"}]\n    dimensions: [{name: id, sql: id, type: number, primary_key: true}]\n`;
    const src = `cubes:\n${cube('a', 'belongs_to', 'b')}${cube('b', 'hasMany', 'c')}${cube('c', 'one_to_one', 'd')}${cube('d', 'has_one', 'e')}  - name: e\n    sql_table: e\n    dimensions: [{name: id, sql: id, type: number, primary_key: true}]\n  - name: lonely\n    sql_table: l\n    dimensions: [{name: id, sql: id, type: number}]\n`;
    const { model, errors } = compileModelFromSources([{ path: 'r.yml', content: src }]);
    assert.deepEqual(errors, []);
    assert.deepEqual(model.joins.map((j) => [j.relationship, j.multiplied]), [
      ['belongsTo', 'b'], ['hasMany', 'b'], ['hasOne', undefined], ['hasOne', undefined],
    ]);
    assert.deepEqual(Object.fromEntries(model.connectedComponents), { a: 1, b: 1, c: 1, d: 1, e: 1 });
    assert.equal(model.connectedComponents.get('lonely'), undefined, 'Cube gives cubes without joins no component');
  });

  it('parses pre-aggregations into full member paths', async () => {
    const [model] = await both();
    const pa = model.preAggregations.get('orders.by_day')!;
    assert.equal(model.cubes.get('orders')!.preAggregations.get('by_day'), pa);
    assert.deepEqual(
      { ...pa, location: undefined },
      {
        name: 'by_day', cube: 'orders', path: 'orders.by_day', type: 'rollup',
        measures: ['orders.count', 'orders.total'], dimensions: ['orders.status'], segments: [],
        timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day' }],
        timeDimension: 'orders.created_at',
        partitionGranularity: 'month',
        refreshKey: { every: '1 hour', incremental: true, updateWindow: '7 day' },
        buildRangeStart: { sql: ["SELECT NOW() - interval '1 year'"] },
        indexes: [{ name: 'by_status', columns: ['orders.status'], type: 'regular' }],
        scheduledRefresh: true, external: true, unionWithSourceData: false, rollups: [],
        allowNonStrictDateRangeMatch: false, useOriginalSqlPreAggregations: false, location: undefined,
      },
    );
  });

  it('compiles lambda, original_sql and time_dimensions pre-aggregations', () => {
    const src = `cubes:
  - name: ev
    sql_table: atomic.events
    measures: [{name: count, type: count}]
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: ts, sql: collector_tstamp, type: time, granularities: [{name: half_year, interval: 6 months}]}
    pre_aggregations:
      - {name: batch, measures: [count], time_dimensions: [{dimension: ts, granularity: half_year}], partition_granularity: day, build_range_end: {sql: SELECT NOW()}}
      - {name: lambda, type: rollup_lambda, rollups: [batch], union_with_source_data: true}
      - {name: raw, type: original_sql, external: false, refresh_key: {sql: "SELECT MAX(collector_tstamp) FROM {CUBE}"}}
      - {name: raw_by_day, type: original_sql, time_dimension: ts, partition_granularity: day}
`;
    const { model, errors } = compileModelFromSources([{ path: 'ev.yml', content: src }]);
    assert.deepEqual(errors, []);
    const lambda = model.preAggregations.get('ev.lambda')!;
    assert.deepEqual([lambda.type, lambda.rollups, lambda.unionWithSourceData], ['rollupLambda', ['ev.batch'], true]);
    assert.deepEqual(model.preAggregations.get('ev.batch')!.timeDimensions, [{ dimension: 'ev.ts', granularity: 'half_year' }]);
    const raw = model.preAggregations.get('ev.raw')!;
    assert.deepEqual([raw.type, raw.external, raw.refreshKey?.sql], ['originalSql', false, ['SELECT MAX(collector_tstamp) FROM ', { type: 'cube', cube: 'ev' }]]);
    const byDay = model.preAggregations.get('ev.raw_by_day')!;
    assert.deepEqual([byDay.timeDimension, byDay.timeDimensions, byDay.partitionGranularity], ['ev.ts', [], 'day']);
  });

  it('turns view includes into proxy members with their source and join path', async () => {
    const [model] = await both();
    const view = model.cubes.get('orders_view')!;
    assert.equal(view.kind, 'view');
    assert.deepEqual([...view.measures.keys()], ['count', 'total', 'avg_amount', 'rolling_count', 'users_user_count']);
    assert.deepEqual([...view.dimensions.keys()], ['id', 'status', 'size', 'created_at', 'location', 'users_city']);
    const city = view.dimensions.get('users_city') as Dimension;
    assert.deepEqual(city.aliasOf, { member: 'users.city', joinPath: ['orders', 'users'] });
    assert.deepEqual(city.sql, [{ type: 'member', cube: 'users', member: 'city' }]);
    const userCount = view.measures.get('users_user_count') as Measure;
    assert.deepEqual([userCount.type, userCount.aliasOf?.member], ['count', 'users.count']);
    assert.deepEqual(view.measures.get('count')!.drillMembers, ['orders_view.id', 'orders_view.created_at', 'orders_view.users_city']);
    assert.equal(model.members.get('orders_view.users_city'), city);
    assert.equal(view.dimensions.get('id')!.public, true, 'Cube shows included primary keys in views');
  });

  it('supports legacy top-level view includes and aliased, prefixed includes', () => {
    const js = `cube('a', { sql_table: 'a', joins: { b: { sql: \`\${CUBE}.b_id = \${b.id}\`, relationship: 'belongsTo' } },
  measures: { count: { type: 'count' } }, dimensions: { id: { sql: 'id', type: 'number', primaryKey: true } } });
cube('b', { sql_table: 'b', dimensions: { id: { sql: 'id', type: 'number', primaryKey: true }, name: { sql: 'name', type: 'string' } } });
view('legacy', { includes: [a.count, b.name] });
view('modern', { cubes: [{ join_path: a.b, prefix: true, alias: 'bee', includes: [{ name: 'name', alias: 'label', title: 'Label' }] }] });`;
    const { model, errors } = compileModelFromSources([{ path: 'v.js', content: js }]);
    assert.deepEqual(errors, []);
    const legacy = model.cubes.get('legacy')!;
    assert.deepEqual([...legacy.measures.keys(), ...legacy.dimensions.keys()], ['count', 'name']);
    assert.deepEqual(legacy.dimensions.get('name')!.aliasOf, { member: 'b.name', joinPath: ['b'] });
    const label = model.members.get('modern.bee_label')!;
    assert.deepEqual([label.title, label.aliasOf], ['Label', { member: 'b.name', joinPath: ['a', 'b'] }]);
  });

  it('applies extends: inherited members re-bound to the child, child wins, sql_table hides sql', () => {
    const js = `cube('base', {
  sql: \`SELECT * FROM base_t\`,
  measures: { count: { type: 'count' }, total: { sql: \`\${CUBE}.amount\`, type: 'sum' } },
  dimensions: { id: { sql: 'id', type: 'number', primaryKey: true } },
});
cube('child', {
  extends: base,
  sql_table: 'child_t',
  measures: { total: { sql: 'net', type: 'sum', title: 'Net total' } },
});`;
    const yml = `cubes:\n  - name: grandchild\n    extends: child\n    title: GC\n`;
    const { model, errors } = compileModelFromSources([{ path: 'a.js', content: js }, { path: 'b.yml', content: yml }]);
    assert.deepEqual(errors, []);
    const child = model.cubes.get('child')!;
    assert.equal(child.sql, undefined);
    assert.deepEqual(child.sqlTable, ['child_t']);
    assert.deepEqual(child.measures.get('total')!.sql, [{ type: 'cube', cube: 'child' }, '.net']);
    assert.equal(child.measures.get('total')!.title, 'Net total');
    const gc = model.cubes.get('grandchild')!;
    assert.deepEqual([...gc.measures.keys()], ['count', 'total']);
    assert.deepEqual(gc.dimensions.get('id')!.sql, [{ type: 'cube', cube: 'grandchild' }, '.id']);
    assert.deepEqual([gc.extends, gc.title, gc.primaryKeys], ['child', 'GC', ['id']]);
    assert.equal(gc.dimensions.get('id')!.location.file, 'a.js', 'inherited members point at the parent file');
  });

  it('freezes the compiled model', async () => {
    const [model] = await both();
    const orders = model.cubes.get('orders')!;
    assert.ok(Object.isFrozen(orders) && Object.isFrozen(orders.measures.get('count')) && Object.isFrozen(model.joins));
    assert.throws(() => (model.cubes as Map<string, unknown>).set('x', {}), /read-only/);
    assert.throws(() => { (orders as { name: string }).name = 'x'; }, TypeError);
  });

  it('loads model files recursively from nested folders, ignoring other files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'model-load-'));
    try {
      await mkdir(join(dir, 'web', 'deep'), { recursive: true });
      await writeFile(join(dir, 'web', 'deep', 'a.yaml'), 'cubes:\n  - name: a\n    sql_table: a\n');
      await writeFile(join(dir, 'b.js'), "cube('b', { sql_table: 'b' });");
      await writeFile(join(dir, 'README.md'), '# not a model');
      await writeFile(join(dir, '.hidden.yml'), 'cubes: [');
      assert.deepEqual((await readModelSources(dir)).map((s) => s.path), ['b.js', 'web/deep/a.yaml']);
      const { model, errors } = await loadModel({ schemaPath: dir });
      assert.deepEqual([[...model.cubes.keys()], errors], [['b', 'a'], []]);
      await assert.rejects(loadModel({ schemaPath: join(dir, 'missing') }), /does not exist/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
