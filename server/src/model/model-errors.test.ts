// Every kind of model error is reported with file, line, member path and a clear message,
// all of them in one pass (Cube's ErrorReporter behaviour).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatModelErrors } from './format-errors.ts';
import { compileModelFromSources } from './load-model.ts';
import type { ModelError } from './types.ts';

const compile = (files: Record<string, string>) =>
  compileModelFromSources(Object.entries(files).map(([path, content]) => ({ path, content })));
const errorsOf = (files: Record<string, string>): readonly ModelError[] => compile(files).errors;

/** Asserts exactly one error and that it matches file, line, path and a message pattern. */
function expectOne(files: Record<string, string>, want: { file: string; line: number; path: string; message: RegExp }): void {
  const errors = errorsOf(files);
  assert.equal(errors.length, 1, `expected one error, got ${JSON.stringify(errors, null, 1)}`);
  const [e] = errors;
  assert.deepEqual({ file: e.file, line: e.line, path: e.path }, { file: want.file, line: want.line, path: want.path });
  assert.match(e.message, want.message);
}

const ORDERS_HEAD = `cubes:
  - name: orders
    sql_table: orders
    dimensions:
      - name: id
        sql: id
        type: number
        primary_key: true
`;

describe('model errors', () => {
  it('YAML syntax error', () => {
    expectOne({ 'bad.yml': 'cubes:\n  - name: a\n    sql_table: [x\n' },
      { file: 'bad.yml', line: 4, path: '', message: /YAML syntax error/ });
  });

  it('unexpected top-level YAML key and Jinja', () => {
    expectOne({ 'k.yml': 'cubes: []\nmetrics: []\n' }, { file: 'k.yml', line: 2, path: '', message: /Unexpected YAML key: metrics/ });
    expectOne({ 'j.yml': 'cubes:\n  {% for x in y %}\n' }, { file: 'j.yml', line: 2, path: '', message: /Jinja/ });
  });

  it('JS syntax error and runtime error carry the line', () => {
    expectOne({ 's.js': "cube('a', {\n  sql_table: 'a',\n  measures: { count: { type: 'count' }\n});\n" },
      { file: 's.js', line: 4, path: '', message: /JavaScript syntax error/ });
    expectOne({ 'r.js': "const x = 1;\n\nnull.boom;\n" },
      { file: 'r.js', line: 3, path: '', message: /Error running model file: .*null/ });
    expectOne({ 'm.js': "cube('a', {\n  sql_table: 'a',\n  measures: asyncModule(42),\n});\n" },
      { file: 'm.js', line: 3, path: '', message: /asyncModule\(\) needs a function/ });
  });

  it('unknown member reference in YAML and JS, at the member line', () => {
    expectOne({ 'o.yml': `${ORDERS_HEAD}    measures:\n      - name: bad\n        sql: "{CUBE.nope} + 1"\n        type: sum\n` },
      { file: 'o.yml', line: 10, path: 'orders.measures.bad', message: /Unknown member 'orders.nope'/ });
    expectOne({ 'o.js': "cube('orders', {\n  sql_table: 'orders',\n  dimensions: {\n    city: { sql: `${users.city}`, type: 'string' },\n  },\n});\ncube('users', { sql_table: 'u' });\n" },
      { file: 'o.js', line: 4, path: 'orders.dimensions.city', message: /Unknown member 'users.city'/ });
    expectOne({ 'o.js': "cube('orders', {\n  sql_table: 'orders',\n  dimensions: {\n    city: { sql: `${nobody}.city`, type: 'string' },\n  },\n});\n" },
      { file: 'o.js', line: 4, path: 'orders.dimensions.city', message: /'nobody' is neither a member of 'orders' nor a cube/ });
  });

  it('unknown measure and dimension types, missing sql', () => {
    expectOne({ 'o.yml': `${ORDERS_HEAD}    measures:\n      - name: m\n        sql: x\n        type: median\n` },
      { file: 'o.yml', line: 10, path: 'orders.measures.m', message: /Unknown measure type 'median'/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: d\n        sql: x\n        type: text\n` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.d', message: /Unknown dimension type 'text'/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}    measures:\n      - name: total\n        type: sum\n` },
      { file: 'o.yml', line: 10, path: 'orders.measures.total', message: /of type sum needs 'sql'/ });
    expectOne({ 'o.yml': 'cubes:\n  - name: nosql\n    measures: [{name: c, type: count}]\n' },
      { file: 'o.yml', line: 2, path: 'nosql', message: /needs 'sql' or 'sql_table'/ });
  });

  it('duplicate cube names across files, and duplicate members', () => {
    expectOne({ 'a.yml': 'cubes:\n  - name: dup\n    sql_table: a\n', 'b.js': "\ncube('dup', { sql_table: 'b' });\n" },
      { file: 'b.js', line: 2, path: 'dup', message: /Duplicate cube name 'dup' \(already defined in a.yml:2\)/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}    measures:\n      - name: id\n        type: count\n` },
      { file: 'o.yml', line: 5, path: 'orders.dimensions.id', message: /Duplicate name 'id' in cube 'orders': id defined more than once/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: id\n        sql: id2\n        type: number\n` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.id', message: /Duplicate name 'id' in dimensions/ });
  });

  it('join to an unknown cube, bad relationship, missing primary key', () => {
    expectOne({ 'o.yml': `${ORDERS_HEAD}    joins:\n      - name: ghosts\n        relationship: many_to_one\n        sql: "1 = 1"\n` },
      { file: 'o.yml', line: 10, path: 'orders.joins.ghosts', message: /joins unknown cube 'ghosts'/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}    joins:\n      - name: orders\n        relationship: many_to_many\n        sql: "1 = 1"\n` },
      { file: 'o.yml', line: 10, path: 'orders.joins.orders', message: /Unknown join relationship 'many_to_many'/ });
    expectOne({
      'o.yml': 'cubes:\n  - name: a\n    sql_table: a\n    joins:\n      - {name: b, relationship: many_to_one, sql: "1=1"}\n    measures: [{name: c, type: count}]\n  - name: b\n    sql_table: b\n',
    }, { file: 'o.yml', line: 5, path: 'a.joins.b', message: /primary key for 'a' is required when join is defined/ });
  });

  it('bad view join_path and unknown or clashing includes', () => {
    const cubes = `${ORDERS_HEAD}  - name: users\n    sql_table: users\n    dimensions: [{name: id, sql: id, type: number, primary_key: true}]\n`;
    expectOne({ 'v.yml': `${cubes}views:\n  - name: v\n    cubes:\n      - join_path: orders.users\n        includes: "*"\n` },
      { file: 'v.yml', line: 15, path: 'v.cubes.orders.users', message: /Invalid join_path 'orders.users': cube 'orders' has no join to 'users'/ });
    expectOne({ 'v.yml': `${cubes}views:\n  - name: v\n    cubes:\n      - join_path: nowhere\n        includes: "*"\n` },
      { file: 'v.yml', line: 15, path: 'v.cubes.nowhere', message: /unknown cube 'nowhere'/ });
    expectOne({ 'v.yml': `${cubes}views:\n  - name: v\n    cubes:\n      - join_path: orders\n        includes: [id, status]\n` },
      { file: 'v.yml', line: 15, path: 'v.cubes.orders', message: /Member 'status' is included in 'v' but not defined/ });
    expectOne({ 'v.yml': `${cubes}views:\n  - name: v\n    cubes:\n      - join_path: orders\n        includes: [id]\n      - join_path: users\n        includes: [id]\n` },
      { file: 'v.yml', line: 17, path: 'v.cubes.users', message: /Included member 'id' conflicts with existing member of 'v'/ });
  });

  it('circular member references and circular or unknown extends', () => {
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: a\n        sql: "{b} + 1"\n        type: number\n      - name: b\n        sql: "{CUBE.a} * 2"\n        type: number\n` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.a', message: /Circular reference: orders.a -> orders.b -> orders.a/ });
    expectOne({ 'x.js': "cube('a', { extends: b, sql_table: 'a' });\ncube('b', { extends: a, sql_table: 'b' });\n" },
      { file: 'x.js', line: 2, path: 'b', message: /Circular extends: a -> b -> a/ });
    expectOne({ 'x.yml': 'cubes:\n  - name: a\n    extends: zed\n    sql_table: a\n' },
      { file: 'x.yml', line: 2, path: 'a', message: /extends unknown cube 'zed'/ });
  });

  it('a member using another cube\'s alias, and views defining own members (Cube rules)', () => {
    const users = '  - name: users\n    sql_table: users\n    dimensions: [{name: id, sql: id, type: number, primary_key: true}]\n';
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: city\n        sql: "{users}.city"\n        type: string\n${users}` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.city', message: /Member 'orders.city' references foreign cubes: users/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}${users}views:\n  - name: v\n    cubes: [{join_path: orders, includes: "*"}]\n    measures:\n      - name: own\n        type: count\n` },
      { file: 'o.yml', line: 16, path: 'v.measures.own', message: /View 'v' defines own member 'v.own'/ });
    // A cube name wins over a member of the same name in SQL, as in Cube.
    expectOne({ 'o.yml': `${ORDERS_HEAD}    measures:\n      - {name: users, type: count}\n      - {name: per, type: number, sql: "{users} / 2"}\n${users}` },
      { file: 'o.yml', line: 11, path: 'orders.measures.per', message: /references foreign cubes: users/ });
  });

  it('invalid pre-aggregations', () => {
    const pre = (body: string) => ({ 'p.yml': `${ORDERS_HEAD}      - name: ts\n        sql: ts\n        type: time\n    measures:\n      - name: count\n        type: count\n    pre_aggregations:\n      - name: main\n${body}` });
    expectOne(pre('        measures: [id]\n'), { file: 'p.yml', line: 16, path: 'orders.pre_aggregations.main', message: /'orders.id' in measures is a dimension, not a measure/ });
    expectOne(pre('        measures: [count]\n        time_dimension: ts\n        granularity: fortnight\n'),
      { file: 'p.yml', line: 16, path: 'orders.pre_aggregations.main', message: /Invalid granularity 'fortnight'/ });
    expectOne(pre('        type: rollup_lambda\n'), { file: 'p.yml', line: 16, path: 'orders.pre_aggregations.main', message: /needs 'rollups'/ });
    expectOne(pre('        type: cube_store_magic\n'), { file: 'p.yml', line: 16, path: 'orders.pre_aggregations.main', message: /Unknown pre-aggregation type/ });
    expectOne(pre('        measures: [count]\n        refresh_key: {every: often}\n'), { file: 'p.yml', line: 16, path: 'orders.pre_aggregations.main', message: /Invalid interval 'often'/ });
  });

  it('unknown properties and bad SQL template syntax', () => {
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: s\n        sql: s\n        type: string\n        colour: red\n` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.s', message: /Unknown dimension property: colour/ });
    expectOne({ 'o.yml': `${ORDERS_HEAD}      - name: s\n        sql: "{CUBE.s"\n        type: string\n` },
      { file: 'o.yml', line: 9, path: 'orders.dimensions.s', message: /Unclosed '\{'/ });
  });

  it('reports every problem of every file in one pass, and keeps the valid cubes', () => {
    const { model, errors } = compile({
      'a.yml': 'cubes:\n  - name: a\n    sql_table: [x\n',
      'b.js': 'cube(',
      'c.yml': `${ORDERS_HEAD}    measures:\n      - {name: m1, type: median, sql: x}\n      - {name: m2, type: sum}\n`,
      'd.yml': 'cubes:\n  - name: fine\n    sql_table: fine\n    measures: [{name: count, type: count}]\n',
    });
    assert.deepEqual(errors.map((e) => [e.file, e.path]), [
      ['a.yml', ''], ['b.js', ''], ['c.yml', 'orders.measures.m1'], ['c.yml', 'orders.measures.m2'],
    ]);
    assert.ok(model.cubes.has('fine') && model.cubes.has('orders'));
    assert.ok(!model.cubes.get('orders')!.measures.has('m1'), 'an invalid member is dropped');
    assert.match(formatModelErrors(errors), /^Compile errors:\na\.yml:4: YAML syntax error.*\nb\.js:1: JavaScript syntax error.*\nc\.yml:10 orders\.measures\.m1: Unknown measure type 'median'/);
  });
});
