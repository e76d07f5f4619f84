// Which measures a rollup answers: avg through its stored sum/count, calculated measures through
// the measures they reference, and the rollup table layout / version that goes with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModelFromSources } from '../model/load-model.ts';
import { distinctKey, distinctKeyOf, measureCoverage } from './matcher.ts';
import type { Measure } from '../model/types.ts';
import { avgPart, parseAvgPart } from '../planner/avg-part.ts';
import { rollupColumns } from './rollup-columns.ts';
import { rollupQuery, structureVersion } from './build-partition.ts';
import { withAvgParts } from './avg-parts-model.ts';

const yaml = (measures: string) => `
cubes:
  - name: s
    sql_table: t
    measures:
      - {name: count, type: count}
      - {name: total, sql: v, type: sum}
      - {name: mean, sql: v, type: avg}
      - {name: users, sql: u, type: count_distinct}
      - {name: approx, sql: u, type: count_distinct_approx}
      - {name: per_approx, sql: "{count} / {approx}", type: number}
      - {name: per_count, sql: "1.0 * {total} / NULLIF({count}, 0)", type: number}
      - {name: mean_x2, sql: "{mean} * 2", type: number}
      - {name: nested, sql: "{per_count} + {mean_x2}", type: number}
      - {name: per_user, sql: "{count} / {users}", type: number}
      - {name: raw_ratio, sql: "sum(v) / count(*)", type: number}
    dimensions:
      - {name: ts, sql: ts, type: time}
    pre_aggregations:
      - name: r
        measures: [${measures}]
        time_dimension: ts
        granularity: day
`;

function compile(measures: string) {
  const { model, errors } = compileModelFromSources([{ path: 's.yml', content: yaml(measures) }]);
  assert.deepEqual(errors, []);
  return model;
}

test('avg and calculated measures are re-aggregatable when their parts are additive and stored', () => {
  const model = compile('count, total, mean, users');
  const pa = new Set(model.preAggregations.get('s.r')!.measures);
  assert.equal(measureCoverage(model, 's.mean', pa), 'additive');
  assert.equal(measureCoverage(model, 's.per_count', pa), 'additive');
  assert.equal(measureCoverage(model, 's.mean_x2', pa), 'additive');
  assert.equal(measureCoverage(model, 's.nested', pa), 'additive');
  // count_distinct is exact only at the rollup's grain, and so is a ratio built on it.
  assert.equal(measureCoverage(model, 's.users', pa), 'exact');
  assert.equal(measureCoverage(model, 's.per_user', pa), 'exact');
  // Raw SQL in a number measure cannot be recomputed from rollup columns.
  assert.equal(measureCoverage(model, 's.raw_ratio', pa), null);
});

test('a calculated measure needs every referenced measure in the rollup', () => {
  const model = compile('count');
  const pa = new Set(model.preAggregations.get('s.r')!.measures);
  assert.equal(measureCoverage(model, 's.per_count', pa), null);
  assert.equal(measureCoverage(model, 's.count', pa), 'additive');
});

test('an avg is stored as hidden sum and count columns, loaded through companion measures', () => {
  const model = compile('count, mean');
  const pa = model.preAggregations.get('s.r')!;
  const cols = rollupColumns(model, pa);
  assert.deepEqual(cols.filter((c) => c.role === 'measure').map((c) => [c.member, c.name, c.measureType]), [
    ['s.count', 's__count', 'count'],
    ['s.mean__avg_sum', 's__mean__avg_sum', 'sum'],
    ['s.mean__avg_count', 's__mean__avg_count', 'count'],
  ]);
  assert.deepEqual(parseAvgPart(avgPart('s.mean', 'count')), { measure: 's.mean', part: 'count' });
  assert.equal(parseAvgPart('s.count'), null);
  assert.deepEqual(rollupQuery(model, pa, 'UTC').measures, ['s.count', 's.mean__avg_sum', 's.mean__avg_count']);
  const ext = withAvgParts(model);
  const sum = ext.members.get('s.mean__avg_sum');
  assert.ok(sum?.kind === 'measure' && sum.type === 'sum' && !sum.public);
  assert.equal(ext.cubes.get('s')!.measures.get('mean__avg_count')?.type, 'count');
  assert.equal(model.members.get('s.mean__avg_sum'), undefined, 'the served model is untouched');
});

test('the structure version follows the column layout (avg parts included) and is stable', () => {
  const v = (m: string) => { const model = compile(m); return structureVersion(model, model.preAggregations.get('s.r')!); };
  assert.equal(v('count, mean'), v('count, mean'));
  assert.notEqual(v('count, mean'), v('count, total'));
});

test('a count_distinct is re-counted from a rollup dimension with the same SQL, at any grain', () => {
  const { model, errors } = compileModelFromSources([{ path: 's.yml', content: `
cubes:
  - name: s
    sql_table: t
    measures:
      - {name: count, type: count}
      - {name: users, sql: u, type: count_distinct}
      - {name: buyers, sql: u, type: count_distinct, filters: [{sql: "{CUBE}.kind = 'buy'"}]}
      - {name: buys, type: count, filters: [{sql: "{CUBE}.kind = 'buy'"}]}
      - {name: sells, type: count, filters: [{sql: "{CUBE}.kind = 'sell'"}]}
      - {name: per_user, sql: "{count} / {users}", type: number}
    dimensions:
      - {name: user, sql: u, type: string}
      - {name: user_upper, sql: upper(u), type: string}
` }]);
  assert.deepEqual(errors, []);
  const none = new Set<string>();
  const counted = new Set(['s.count']);
  assert.equal(measureCoverage(model, 's.users', none, 0, ['s.user']), 'additive');
  assert.equal(measureCoverage(model, 's.per_user', counted, 0, ['s.user']), 'additive', 'through a calculated measure');
  assert.equal(measureCoverage(model, 's.users', none, 0, ['s.user_upper']), null, 'different SQL');
  assert.equal(measureCoverage(model, 's.buyers', none, 0, ['s.user']), null, 'a measure filter the rollup rows do not carry');
  assert.equal(distinctKey(model, model.members.get('s.users') as Measure, ['s.user_upper', 's.user']), 's.user');
  // A filtered one through the rollup's count with the same filters: rows where it is > 0.
  assert.equal(measureCoverage(model, 's.buyers', new Set(['s.buys']), 0, ['s.user']), 'additive', 'the count with its filters is in the rollup');
  assert.equal(measureCoverage(model, 's.buyers', new Set(['s.sells']), 0, ['s.user']), null, 'a count with other filters');
  assert.deepEqual(distinctKeyOf(model, model.members.get('s.buyers') as Measure, ['s.user'], ['s.count', 's.buys']), { key: 's.user', when: 's.buys' });
});

test('count_distinct_approx re-aggregates from the rollup sketch at any grain; count_distinct stays exact-match', () => {
  const model = compile('count, approx, users');
  const pa = new Set(['s.count', 's.approx', 's.users']);
  assert.equal(measureCoverage(model, 's.approx', pa), 'additive');
  assert.equal(measureCoverage(model, 's.per_approx', pa), 'additive');
  assert.equal(measureCoverage(model, 's.users', pa), 'exact');
  const cols = rollupColumns(model, model.preAggregations.get('s.r')!);
  assert.deepEqual(cols.filter((c) => c.role === 'register' || c.role === 'rank').map((c) => [c.member, c.name, c.role]), [
    ['hll.register', 'hll_register', 'register'], ['s.approx__hll_rank', 's__approx__hll_rank', 'rank'],
  ]);
  assert.ok(!cols.some((c) => c.member === 's.approx'), 'no per-row estimate column: every answer comes from the sketch');
});

test('a first refresh under way (oldest partitions built, newest not): ranges past the built ones are not covered', async () => {
  const { coveringTables } = await import('./matcher.ts');
  const { model, errors } = compileModelFromSources([{ path: 's.yml', content: `
cubes:
  - name: s
    sql_table: t
    measures: [{name: count, type: count}]
    dimensions: [{name: ts, sql: ts, type: time}]
    pre_aggregations:
      - {name: r, measures: [count], time_dimension: ts, granularity: minute, partition_granularity: day}
` }]);
  assert.deepEqual(errors, []);
  const pa = model.preAggregations.get('s.r')!;
  const rec = (day: string, dataUntil = '') => ({
    tableName: `t${day}`, preAggregation: pa.path, timezone: 'UTC', partitionStart: `${day}T00:00:00.000`, partitionEnd: `${day}T23:59:59.999`,
    structureVersion: 's', contentVersion: 'c', refreshKey: 'k', builtAt: Date.parse('2026-11-15T10:20:00Z'), dataUntil, rowCount: 1, supersededAt: 0,
  });
  const oldest = [rec('2026-11-01'), rec('2026-11-02')];
  const last30 = ['2026-11-15T10:00:00.000', '2026-11-15T10:29:59.999'] as const;
  assert.equal(coveringTables(pa, oldest, last30), null, 'batch rollup: today not built yet');
  assert.equal(coveringTables(pa, oldest, last30, true), null, 'lambda: no partition carries the boundary yet, so no tail starts there');
  assert.deepEqual(coveringTables(pa, oldest, ['2026-11-02T00:00:00.000', '2026-11-02T23:59:59.999'])?.tables.map((t) => t.tableName), ['t2026-11-02']);
  const built = [...oldest, rec('2026-11-15', '2026-11-15T10:20:00.000')];
  assert.equal(coveringTables(pa, built, last30), null, 'a hole between the built partitions');
  const all = Array.from({ length: 15 }, (_, i) => rec(`2026-11-${String(i + 1).padStart(2, '0')}`, i === 14 ? '2026-11-15T10:20:00.000' : ''));
  assert.deepEqual(coveringTables(pa, all, last30, true), { tables: [all[14]], dataUntil: '2026-11-15T10:20:00.000' });
  // Built at 10:20 on the 15th, the 15th's partition is the newest there is: past it lies only the future.
  assert.deepEqual(coveringTables(pa, all, ['2026-11-15T10:00:00.000', '2026-11-16T00:29:59.999'])?.tables.map((t) => t.tableName), ['t2026-11-15'], 'batch: a range ending tomorrow');

  // Newer events arrived after the 15th was built (its refresh key changed): the rollup steps aside
  // for ranges holding it or past it, and still serves the days before.
  const staleLast = (b: { partitionStart: string }) => b.partitionStart === '2026-11-15T00:00:00.000';
  assert.equal(coveringTables(pa, all, last30, false, staleLast), null, 'a stale partition in the range');
  assert.equal(coveringTables(pa, all, ['2026-11-16T00:00:00.000', '2026-11-16T23:59:59.999'], false, staleLast), null, 'past a stale last partition');
  assert.deepEqual(coveringTables(pa, all, ['2026-11-14T00:00:00.000', '2026-11-14T23:59:59.999'], false, staleLast)?.tables.map((t) => t.tableName), ['t2026-11-14']);
});

test('candidates keep the definition order (Cube takes the first match): a realtime lambda defined last does not answer totals a batch rollup holds', async () => {
  const { matchCandidates } = await import('./candidates.ts');
  const { model, errors } = compileModelFromSources([{ path: 's.yml', content: `
cubes:
  - name: s
    sql_table: t
    measures: [{name: count, type: count}]
    dimensions: [{name: ts, sql: ts, type: time}]
    pre_aggregations:
      - {name: by_hour, measures: [count], time_dimension: ts, granularity: hour, partition_granularity: day}
      - {name: per_minute, measures: [count], time_dimension: ts, granularity: minute, partition_granularity: day}
      - {name: realtime, type: rollup_lambda, union_with_source_data: true, rollups: [per_minute]}
      - {name: live, measures: [count], time_dimension: ts, granularity: minute, partition_granularity: day, union_with_source_data: true}
` }]);
  assert.deepEqual(errors, []);
  assert.deepEqual(matchCandidates(model).map((c) => [c.name, c.rollup.path, c.lambda]), [
    ['s.by_hour', 's.by_hour', false], ['s.realtime', 's.per_minute', true], ['s.live', 's.live', true],
  ]);
});
