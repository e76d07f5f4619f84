// SQL snippet syntax: YAML f-strings and JS template literals/functions give the same templates
// for CUBE, member refs, FILTER_PARAMS, SECURITY_CONTEXT, COMPILE_CONTEXT and SQL_UTILS, and for
// webcube's EVENTS_TABLE and FILTER_PARAMS…dtFilter.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileModelFromSources } from './load-model.ts';
import { parseYamlSql } from './parse-yaml-sql.ts';
import { renderTemplate, templateRefs, type TemplateResolver } from './render-template.ts';
import { templateToSource } from './template-source.ts';
import type { SqlTemplate } from './types.ts';

/** Compiles one cube `c` (YAML or JS) with dimension `d` whose sql is given, plus cube `other`. */
function dimSql(kind: 'yaml' | 'js', sql: string, eventsTable?: string): SqlTemplate {
  const other = kind === 'yaml'
    ? '  - name: other\n    sql_table: o\n    dimensions: [{name: ts, sql: ts, type: time}]\n'
    : "cube('other', { sql_table: 'o', dimensions: { ts: { sql: 'ts', type: 'time' } } });\n";
  const src = kind === 'yaml'
    ? `cubes:\n  - name: c\n    sql_table: t\n    dimensions:\n      - name: x\n        sql: x\n        type: number\n      - name: d\n        type: string\n        sql: ${JSON.stringify(sql)}\n${other}`
    : `cube('c', { sql_table: 't', dimensions: { x: { sql: 'x', type: 'number' }, d: { type: 'string', sql: ${sql} } } });\n${other}`;
  const { model, errors } = compileModelFromSources([{ path: `m.${kind === 'yaml' ? 'yml' : 'js'}`, content: src }], { eventsTable });
  assert.deepEqual(errors, []);
  return model.cubes.get('c')!.dimensions.get('d')!.sql!;
}

const cube = (c: string) => ({ type: 'cube', cube: c });
const member = (c: string, m: string) => ({ type: 'member', cube: c, member: m });

describe('SQL templates', () => {
  const cases: [string, string, string, unknown[]][] = [
    ['own members and CUBE', '{CUBE}.a + {x} + {CUBE.x}', '`${CUBE}.a + ${x} + ${CUBE.x}`', [cube('c'), '.a + ', member('c', 'x'), ' + ', member('c', 'x')]],
    ['another cube\'s member', '{other.ts} > {CUBE}.t', '() => `${other.ts} > ${CUBE}.t`', [member('other', 'ts'), ' > ', cube('c'), '.t']],
    ['FILTER_PARAMS with a column', "{FILTER_PARAMS.other.ts.filter('dt')}", "`${FILTER_PARAMS.other.ts.filter('dt')}`", [{ type: 'filterParams', cube: 'other', member: 'ts', column: ['dt'] }]],
    ['FILTER_PARAMS with a callback', "{FILTER_PARAMS.other.ts.filter(lambda a, b: f'dt >= {a} AND dt <= {b} AND {CUBE}.y')}", '`${FILTER_PARAMS.other.ts.filter((a, b) => `dt >= ${a} AND dt <= ${b} AND ${CUBE}.y`)}`',
      [{ type: 'filterParams', cube: 'other', member: 'ts', callback: ['dt >= ', { type: 'filterArg', index: 0 }, ' AND dt <= ', { type: 'filterArg', index: 1 }, ' AND ', cube('c'), '.y'] }]],
    ['SECURITY_CONTEXT filter, unsafeValue and value', "{SECURITY_CONTEXT.app.filter('app_id')} {SECURITY_CONTEXT.user.unsafeValue()} {SECURITY_CONTEXT.org.id}", "`${SECURITY_CONTEXT.app.filter('app_id')} ${SECURITY_CONTEXT.user.unsafeValue()} ${SECURITY_CONTEXT.org.id}`",
      [{ type: 'securityContext', path: ['app'], mode: 'filter', column: ['app_id'] }, ' ', { type: 'securityContext', path: ['user'], mode: 'unsafe' }, ' ', { type: 'securityContext', path: ['org', 'id'], mode: 'param' }]],
    ['FILTER_PARAMS dtFilter', "{FILTER_PARAMS.other.ts.dtFilter('e.dt')} AND {FILTER_PARAMS.other.ts.dtFilter(f'{CUBE}.dt')}", "`${FILTER_PARAMS.other.ts.dtFilter('e.dt')} AND ${FILTER_PARAMS.other.ts.dtFilter(() => `${CUBE}.dt`)}`",
      [{ type: 'filterParams', cube: 'other', member: 'ts', column: ['e.dt'], dtFilter: true }, ' AND ', { type: 'filterParams', cube: 'other', member: 'ts', column: [cube('c'), '.dt'], dtFilter: true }]],
    ['COMPILE_CONTEXT and SQL_UTILS.convertTz', "{COMPILE_CONTEXT.tenant}_{SQL_UTILS.convertTz(f'{CUBE}.ts')}", '`${COMPILE_CONTEXT.tenant}_${SQL_UTILS.convertTz(`${CUBE}.ts`)}`',
      [{ type: 'compileContext', path: ['tenant'] }, '_', { type: 'convertTz', sql: [cube('c'), '.ts'] }]],
  ];
  for (const [name, yaml, js, expected] of cases) {
    it(`${name}: YAML and JS agree, and the source form parses back`, () => {
      assert.deepEqual(dimSql('yaml', yaml), expected);
      assert.deepEqual(dimSql('js', js), expected);
      assert.deepEqual(dimSql('yaml', templateToSource(expected as SqlTemplate, 'c')), expected);
    });
  }

  it('writes the configured events table for EVENTS_TABLE (atomic.events by default), also where only plain SQL is allowed', () => {
    assert.deepEqual(dimSql('yaml', 'SELECT max(x) FROM {EVENTS_TABLE}'), ['SELECT max(x) FROM ', 'atomic.events']);
    assert.deepEqual(dimSql('yaml', 'SELECT max(x) FROM {EVENTS_TABLE}', 'hive.atomic.events'), ['SELECT max(x) FROM ', 'hive.atomic.events']);
    assert.deepEqual(dimSql('js', '`SELECT max(x) FROM ${EVENTS_TABLE}`', 'hive.atomic.events'), ['SELECT max(x) FROM ', 'hive.atomic.events']);
    const yml = 'cubes:\n  - name: e\n    sql_table: "{EVENTS_TABLE}"\n    refresh_key:\n      sql: SELECT max(collector_tstamp) FROM {EVENTS_TABLE}\n    dimensions: [{name: id, sql: id, type: string, primary_key: true}]\n';
    const { model, errors } = compileModelFromSources([{ path: 'e.yml', content: yml }], { eventsTable: 'lake.events' });
    assert.deepEqual(errors, []);
    assert.deepEqual([model.cubes.get('e')!.sqlTable, model.cubes.get('e')!.refreshKey?.sql], [['lake.events'], ['SELECT max(collector_tstamp) FROM ', 'lake.events']]);
  });

  it('rejects dtFilter without a column', () => {
    assert.throws(() => parseYamlSql('{FILTER_PARAMS.c.m.dtFilter()}'), /unsupported call FILTER_PARAMS.c.m.dtFilter/);
    assert.throws(() => parseYamlSql("{FILTER_PARAMS.c.m.dtFilter(lambda a, b: f'{a}')}"), /unsupported call/);
  });

  it('keeps escaped braces and quoted text literal', () => {
    assert.deepEqual(parseYamlSql("json_extract(x, '$.a') || \\{literal\\}"), ["json_extract(x, '$.a') || {literal}"]);
    assert.deepEqual(parseYamlSql("{FILTER_PARAMS.c.m.filter(\"it's\")}"), [{ type: 'filterParams', cube: 'c', member: 'm', column: ["it's"] }]);
    assert.throws(() => parseYamlSql('{CUBE.a.b('), /Unclosed|Cannot parse/);
    assert.throws(() => parseYamlSql('{os.system("x")}'), /unsupported call os.system/);
  });

  it('gives JS model files builtins but no require', () => {
    const ok = compileModelFromSources([{ path: 'b.js', content: "const n = Math.max(1, 2);\ncube('b', { sql_table: `t${n}_${JSON.stringify('x').length}` });" }]);
    assert.deepEqual([ok.errors, ok.model.cubes.get('b')!.sqlTable], [[], ['t2_3']]);
    const shadow = compileModelFromSources([{ path: 's.js', content: "cube('s', { sql_table: 't', dimensions: { process: { sql: 'p', type: 'string' }, name: { sql: 'n', type: 'string' }, label: { sql: `${process} || ${name}`, type: 'string' } } });" }]);
    assert.deepEqual(shadow.errors, []);
    assert.deepEqual(shadow.model.cubes.get('s')!.dimensions.get('label')!.sql, [member('s', 'process'), ' || ', member('s', 'name')], 'Node globals do not shadow members');
    const bad = compileModelFromSources([{ path: 'r.js', content: "\nrequire('fs');" }]);
    assert.deepEqual(bad.errors.map((e) => [e.line, /require\('fs'\) is not available/.test(e.message)]), [[2, true]]);
  });

  it('renders a template through a resolver, nested callbacks included', () => {
    const resolver: TemplateResolver = {
      cube: (p) => `"${p.cube}"`,
      member: (p) => `"${p.cube}".${p.member}`,
      filterParams: (p, render) => (p.callback ? render(p.callback, ['$1', '$2']) : `${render(p.column!)} >= $1`),
      securityContext: (p, render) => `${render(p.column ?? [p.path.join('.')])} = $9`,
      compileContext: (path) => path.join('_'),
      convertTz: (sql) => `(${sql} AT TIME ZONE 'UTC')`,
    };
    const t = dimSql('yaml', "{FILTER_PARAMS.other.ts.filter(lambda a, b: f'{CUBE}.dt BETWEEN {a} AND {b}')} AND {SECURITY_CONTEXT.app.filter('app_id')} AND {SQL_UTILS.convertTz(f'{other.ts}')} > {x}");
    assert.equal(renderTemplate(t, resolver), `"c".dt BETWEEN $1 AND $2 AND app_id = $9 AND ("other".ts AT TIME ZONE 'UTC') > "c".x`);
    assert.deepEqual(templateRefs(t), { cubes: ['c', 'other'], members: [member('other', 'ts'), member('c', 'x')] });
  });
});
