// Model files written the way Cube's documentation writes them load and query correctly
// (model loader → normalizeQuery → compileQuery → DuckDB). Data lives in each cube's own SQL,
// so the expected answers are computed here from the same rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compileContextOf, compileModelFromSources, compileModelFromSourcesAsync, toMeta, type CompiledModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';

const APPS = [[1, 'shop'], [2, 'blog'], [3, 'docs'], [4, 'shop']] as const;
const appsValues = APPS.map(([id, app]) => `(${id}, '${app}')`).join(', ');

let driver: DuckDbDriver;
let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'webcube-as-written-'));
  driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: false });
});
after(async () => {
  await driver?.close();
  await rm(dir, { recursive: true, force: true });
});

function compile(files: Record<string, string>): CompiledModel {
  const { model, errors } = compileModelFromSources(Object.entries(files).map(([path, content]) => ({ path, content })));
  assert.deepEqual(errors, []);
  return model;
}

async function run(model: CompiledModel, query: Record<string, unknown>, securityContext: Record<string, unknown> = {}) {
  const c = compileQuery(model, normalizeQuery(query, model), { dialect: 'duckdb', securityContext });
  const rows = await driver.query(c.sql, c.params);
  return { sql: c.sql, params: c.params, rows: rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [c.aliasToMember[k] ?? k, v]))) };
}

describe('SECURITY_CONTEXT.<key>.filter(callback)', () => {
  const model = (): CompiledModel => compile({
    'apps.js': `
      cube('apps', {
        sql: \`SELECT * FROM (VALUES ${appsValues}) t(id, app_id)
               WHERE \${SECURITY_CONTEXT.allowed.filter((apps) => \`app_id IN (\${apps.join(',')})\`)}\`,
        measures: { count: { type: 'count' } },
        dimensions: { id: { sql: 'id', type: 'number', primary_key: true }, app_id: { sql: 'app_id', type: 'string' } },
      });
      cube('one_app', {
        sql: \`SELECT * FROM (VALUES ${appsValues}) t(id, app_id) WHERE \${SECURITY_CONTEXT.app.filter((app) => \`app_id = \${app}\`)}\`,
        measures: { count: { type: 'count' } },
      });`,
  });
  const expected = (allowed: readonly string[]): number => APPS.filter(([, app]) => allowed.includes(app)).length;

  test('gets the values as an array of bound parameters', async () => {
    const m = model();
    const allowed = ['shop', 'docs'];
    const r = await run(m, { measures: ['apps.count'] }, { allowed });
    assert.equal(Number(r.rows[0]['apps.count']), expected(allowed));
    assert.deepEqual(r.params, allowed);
    const where = r.sql.slice(r.sql.indexOf('WHERE'));
    for (const v of allowed) assert.ok(!where.includes(v), `values are bound, not inlined: ${where}`);
  });

  test('is never called without the key: 1 = 1', async () => {
    const r = await run(model(), { measures: ['apps.count'] }, {});
    assert.equal(Number(r.rows[0]['apps.count']), APPS.length);
    assert.match(r.sql, /1 = 1/);
  });

  test('a single value comes as one placeholder', async () => {
    const r = await run(model(), { measures: ['one_app.count'] }, { app: 'blog' });
    assert.equal(Number(r.rows[0]['one_app.count']), expected(['blog']));
  });

  test('hostile values stay values', async () => {
    const r = await run(model(), { measures: ['apps.count'] }, { allowed: ["shop') OR (1=1", "x' OR '1'='1"] });
    assert.equal(Number(r.rows[0]['apps.count']), 0);
  });
});

describe('public: COMPILE_CONTEXT… (dynamic data models)', () => {
  const yaml = `cubes:
  - name: arr
    sql: "SELECT * FROM (VALUES ${appsValues}) t(id, app_id)"
    public: COMPILE_CONTEXT.security_context.is_finance
    measures:
      - name: count
        type: count
      - name: secret
        sql: id
        type: sum
        public: "{COMPILE_CONTEXT.security_context.is_admin}"
`;
  const js = `cube('arr', {
    sql: \`SELECT * FROM (VALUES ${appsValues}) t(id, app_id)\`,
    public: COMPILE_CONTEXT.security_context.is_finance,
    measures: {
      count: { type: 'count' },
      secret: { sql: 'id', type: 'sum', public: COMPILE_CONTEXT.security_context.is_admin },
    },
  });`;
  for (const [name, file, content] of [['YAML', 'arr.yml', yaml], ['JS', 'arr.js', js]] as const) {
    test(`${name}: evaluated with the compiling request's security context`, async () => {
      const load = (sc: Record<string, unknown>) => {
        const { model, errors } = compileModelFromSources([{ path: file, content }], { compileContext: compileContextOf(sc) });
        assert.deepEqual(errors, []);
        return model;
      };
      const finance = load({ is_finance: true });
      assert.equal(finance.cubes.get('arr')!.public, true);
      assert.equal(finance.members.get('arr.secret')!.public, false);
      const admin = load({ is_finance: true, is_admin: true });
      assert.equal(admin.members.get('arr.secret')!.public, true);
      const other = load({});
      assert.equal(other.cubes.get('arr')!.public, false);
      const visible = toMeta(finance, { visibleOnly: true }) as { name: string; measures: { name: string }[] }[];
      assert.deepEqual(visible.find((c) => c.name === 'arr')!.measures.map((m) => m.name), ['arr.count']);
      assert.equal((toMeta(other, { visibleOnly: true }) as { name: string }[]).some((c) => c.name === 'arr'), false);
      const r = await run(finance, { measures: ['arr.count'] });
      assert.equal(Number(r.rows[0]['arr.count']), APPS.length);
    });
  }
});

describe('import and asyncModule() in JS model files', () => {
  const files = {
    'helpers/dims.js': `
      // A helper file: exports only, no cubes.
      export const SQL_TYPES = { id: 'number', app_id: 'string' };
      export function transformDimensions(names) {
        return names.reduce((acc, name) => ({ ...acc, [name]: { sql: name, type: SQL_TYPES[name], primary_key: name === 'id' } }), {});
      }
      export default (rows) => \`SELECT * FROM (VALUES \${rows}) t(id, app_id)\`;`,
    'cubes/dynamic.js': `
      import tableSql, { transformDimensions } from '../helpers/dims';
      import * as helpers from '../helpers/dims.js';

      asyncModule(async () => {
        const definitions = await new Promise((resolve) => setTimeout(() => resolve([
          { name: 'dyn_apps', rows: ${JSON.stringify(appsValues)}, dimensions: ['id', 'app_id'] },
        ]), 10));
        for (const d of definitions) {
          cube(d.name, {
            sql: tableSql(d.rows),
            measures: { count: { type: 'count' } },
            dimensions: helpers.transformDimensions(d.dimensions),
          });
        }
      });`,
  };
  const sources = Object.entries(files).map(([path, content]) => ({ path, content }));

  test('cubes defined by an asyncModule from imported helpers load and query', async () => {
    const { model, errors } = await compileModelFromSourcesAsync(sources);
    assert.deepEqual(errors, []);
    assert.deepEqual([...model.cubes.keys()], ['dyn_apps']);
    const r = await run(model, { measures: ['dyn_apps.count'], dimensions: ['dyn_apps.app_id'], order: { 'dyn_apps.app_id': 'asc' } });
    const expected = new Map<string, number>();
    for (const [, app] of APPS) expected.set(app, (expected.get(app) ?? 0) + 1);
    assert.deepEqual(r.rows.map((row) => [row['dyn_apps.app_id'], Number(row['dyn_apps.count'])]), [...expected].sort(([a], [b]) => a.localeCompare(b)));
  });

  test('the synchronous compiler says it needs the asynchronous loader', () => {
    const { errors } = compileModelFromSources(sources);
    assert.match(errors.map((e) => `${e.file}: ${e.message}`).join('\n'), /cubes\/dynamic\.js: asyncModule\(\) needs the asynchronous model loader/);
  });

  test('errors point at file and line: a missing import, a throwing asyncModule', async () => {
    const { errors } = await compileModelFromSourcesAsync([
      { path: 'a.js', content: `\n\nimport { x } from './missing';\ncube('a', { sql: 'SELECT 1', measures: { count: { type: 'count' } } });` },
      { path: 'b.js', content: `asyncModule(async () => {\n  await null;\n  throw new Error('source unreachable');\n});` },
    ]);
    const a = errors.find((e) => e.file === 'a.js')!;
    assert.match(a.message, /Cannot find module '\.\/missing'/);
    assert.equal(a.line, 3);
    const b = errors.find((e) => e.file === 'b.js')!;
    assert.match(b.message, /source unreachable/);
    assert.equal(b.line, 3);
  });
});

describe("another cube's SQL: {cube.sql()} and ${cube.sql()}", () => {
  const yaml = `cubes:
  - name: base_apps
    sql: "SELECT * FROM (VALUES ${appsValues}) t(id, app_id)"
    measures:
      - name: count
        type: count
  - name: later_apps
    sql: "SELECT * FROM ({base_apps.sql()}) b WHERE b.id > 1"
    measures:
      - name: count
        type: count
`;
  const js = `cube('base_apps', {
    sql: \`SELECT * FROM (VALUES ${appsValues}) t(id, app_id)\`,
    measures: { count: { type: 'count' } },
  });
  cube('later_apps', {
    sql: \`SELECT * FROM (\${base_apps.sql()}) b WHERE b.id > 1\`,
    measures: { count: { type: 'count' } },
  });`;
  for (const [name, file, content] of [['YAML', 'm.yml', yaml], ['JS', 'm.js', js]] as const) {
    test(`${name}: the referenced cube's SQL is inlined`, async () => {
      const model = compile({ [file]: content });
      const r = await run(model, { measures: ['later_apps.count'] });
      assert.equal(Number(r.rows[0]['later_apps.count']), APPS.filter(([id]) => id > 1).length);
    });
  }

  test('a cycle is a model error at its file and line', () => {
    const { errors } = compileModelFromSources([{ path: 'c.yml', content: `cubes:
  - name: a
    sql: "SELECT * FROM ({b.sql()}) x"
  - name: b
    sql: "SELECT * FROM ({a.sql()}) y"
` }]);
    assert.ok(errors.length > 0);
    assert.match(errors[0].message, /Circular .*sql\(\)/);
    assert.equal(errors[0].file, 'c.yml');
    assert.ok([2, 3, 4, 5].includes(errors[0].line), `line ${errors[0].line} is in the cycle's cubes`);
  });
});

describe('{member.granularity} references in member SQL', () => {
  const TIMES = ['2026-01-15T10:00:00', '2026-01-31T23:00:00', '2026-02-01T00:30:00', '2026-03-10T12:00:00'];
  const values = TIMES.map((t, i) => `(${i + 1}, TIMESTAMP '${t.replace('T', ' ')}')`).join(', ');
  const yaml = `cubes:
  - name: visits
    sql: "SELECT * FROM (VALUES ${values}) t(id, created_at)"
    measures:
      - name: count
        type: count
    dimensions:
      - name: created_at
        sql: created_at
        type: time
      - name: month_start
        sql: "{created_at.month}"
        type: time
      - name: same_month_as_first
        sql: "({CUBE.created_at.month} = {visits.created_at.month} AND {CUBE.created_at.month} = TIMESTAMP '2026-01-01')"
        type: boolean
`;
  test('group by a dimension defined as another at a granularity', async () => {
    const model = compile({ 'v.yml': yaml });
    const r = await run(model, { measures: ['visits.count'], dimensions: ['visits.month_start'], order: { 'visits.month_start': 'asc' } });
    const expected = new Map<string, number>();
    for (const t of TIMES) expected.set(`${t.slice(0, 7)}-01`, (expected.get(`${t.slice(0, 7)}-01`) ?? 0) + 1);
    assert.deepEqual(r.rows.map((row) => [new Date(row['visits.month_start'] as string).toISOString().slice(0, 10), Number(row['visits.count'])]), [...expected]);
    const jan = await run(model, { measures: ['visits.count'], dimensions: ['visits.same_month_as_first'] });
    const counted = Object.fromEntries(jan.rows.map((row) => [String(row['visits.same_month_as_first']), Number(row['visits.count'])]));
    assert.equal(counted.true, TIMES.filter((t) => t.startsWith('2026-01')).length);
  });

  test('an unknown member in such a reference is a model error', () => {
    const { errors } = compileModelFromSources([{ path: 'v.yml', content: yaml.replace('{created_at.month}', '{visits.nope.month}') }]);
    assert.match(errors.map((e) => e.message).join('\n'), /Unknown member 'visits.nope'/);
  });
});

describe('FILTER_GROUP(FILTER_PARAMS…, …) in a cube\'s sql', () => {
  const yaml = `cubes:
  - name: grouped
    sql: "SELECT * FROM (VALUES ${appsValues}) t(id, app_id) WHERE {FILTER_GROUP(FILTER_PARAMS.grouped.app_id.filter('app_id'), FILTER_PARAMS.grouped.id.filter('id'))}"
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: app_id
        sql: app_id
        type: string
`;
  const js = `cube('grouped', {
    sql: \`SELECT * FROM (VALUES ${appsValues}) t(id, app_id) WHERE \${FILTER_GROUP(FILTER_PARAMS.grouped.app_id.filter('app_id'), FILTER_PARAMS.grouped.id.filter('id'))}\`,
    measures: { count: { type: 'count' } },
    dimensions: { id: { sql: 'id', type: 'number', primary_key: true }, app_id: { sql: 'app_id', type: 'string' } },
  });`;
  for (const [name, file, content] of [['YAML', 'g.yml', yaml], ['JS', 'g.js', js]] as const) {
    test(`${name}: ANDed and ORed filters give the same rows as without pushdown`, async () => {
      const model = compile({ [file]: content });
      const and = await run(model, { measures: ['grouped.count'], filters: [
        { member: 'grouped.app_id', operator: 'equals', values: ['shop'] }, { member: 'grouped.id', operator: 'gt', values: ['1'] }] });
      assert.equal(Number(and.rows[0]['grouped.count']), APPS.filter(([id, app]) => app === 'shop' && id > 1).length);
      assert.match(and.sql, /WHERE \(app_id = \$1\) AND \(id > [^)]*\$2[^)]*\)\)/, 'both filters pushed into the cube SQL');
      assert.ok(and.params.includes('shop'), 'as bound parameters');
      const or = await run(model, { measures: ['grouped.count'], filters: [{ or: [
        { member: 'grouped.app_id', operator: 'equals', values: ['blog'] }, { member: 'grouped.id', operator: 'gt', values: ['3'] }] }] });
      assert.equal(Number(or.rows[0]['grouped.count']), APPS.filter(([id, app]) => app === 'blog' || id > 3).length);
    });
  }
});

describe('a boolean dimension written without parentheses', () => {
  const yaml = `cubes:
  - name: flagged
    sql: "SELECT * FROM (VALUES ${appsValues}) t(id, app_id)"
    measures:
      - name: count
        type: count
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
      - name: big_shop
        sql: "app_id = 'shop' AND id > 1"
        type: boolean
`;
  test('is filtered with equals as one operand', async () => {
    const model = compile({ 'f.yml': yaml });
    const truth = APPS.filter(([id, app]) => app === 'shop' && id > 1).length;
    const yes = await run(model, { measures: ['flagged.count'], filters: [{ member: 'flagged.big_shop', operator: 'equals', values: ['true'] }] });
    assert.equal(Number(yes.rows[0]['flagged.count']), truth);
    const no = await run(model, { measures: ['flagged.count'], filters: [{ member: 'flagged.big_shop', operator: 'equals', values: ['false'] }] });
    assert.equal(Number(no.rows[0]['flagged.count']), APPS.length - truth);
  });
});
