// original_sql: the build SQL (the cube's own SQL cut to a UTC partition, FILTER_PARAMS fed),
// and which built partitions may replace the cube's SQL (complete, no holes, sealed).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileModelFromSources } from '../model/load-model.ts';
import type { BuildRecord } from './build-log.ts';
import { coveringOriginalSql, originalSqlSelect } from './original-sql.ts';

const { model } = compileModelFromSources([{ path: 'm.yml', content: `
cubes:
  - name: visits
    sql: "SELECT * FROM atomic.events WHERE {FILTER_PARAMS.visits.ts.filter('collector_tstamp')}"
    dimensions:
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - {name: t, type: original_sql, time_dimension: CUBE.ts, partition_granularity: day, refresh_key: {every: 1 hour, incremental: true, update_window: 2 day}}
      - {name: whole, type: original_sql}
` }]);
const pa = model.preAggregations.get('visits.t')!;
const DAY = 86_400_000;

const rec = (start: string, builtAt: number): BuildRecord => ({
  tableName: `t${start.slice(0, 10)}`, preAggregation: pa.path, timezone: 'UTC', partitionStart: `${start}T00:00:00.000`,
  partitionEnd: `${start}T23:59:59.999`, structureVersion: 's', contentVersion: 'c', refreshKey: 'k', builtAt, dataUntil: '', rowCount: 1, supersededAt: 0,
});

test('the build SQL selects the cube rows of one UTC partition and feeds its FILTER_PARAMS', () => {
  const { sql, params } = originalSqlSelect(model, pa, 'duckdb', { start: '2024-01-02T00:00:00.000', end: '2024-01-02T23:59:59.999' });
  assert.match(sql, /^SELECT "visits"\.\* FROM \(SELECT \* FROM atomic\.events WHERE .*collector_tstamp.*\) AS "visits" WHERE /s);
  assert.deepEqual(params.filter((p) => p === '2024-01-02T00:00:00.000').length, 2, 'the range reaches FILTER_PARAMS and the WHERE');
  const whole = originalSqlSelect(model, model.preAggregations.get('visits.whole')!, 'duckdb');
  assert.equal(whole.sql, 'SELECT "visits".* FROM (SELECT * FROM atomic.events WHERE 1 = 1) AS "visits"');
});

test('covering partitions: the ones overlapping the range, none missing', () => {
  const late = Date.parse('2024-02-01T00:00:00Z');
  const builds = [rec('2024-01-01', late), rec('2024-01-02', late), rec('2024-01-03', Date.parse('2024-01-04T00:00:00Z'))];
  assert.deepEqual(coveringOriginalSql(pa, builds, ['2024-01-01T12:00:00.000', '2024-01-02T05:00:00.000'])?.map((b) => b.tableName), ['t2024-01-01', 't2024-01-02']);
  assert.deepEqual(coveringOriginalSql(pa, builds, ['2024-01-01T00:00:00.000', '2024-01-01T05:00:00.000'])?.map((b) => b.tableName), ['t2024-01-01']);
  assert.equal(coveringOriginalSql(pa, builds, ['2024-01-02T00:00:00.000', '2024-01-04T05:00:00.000']), null,
    'past a last partition that had ended when built (a refresh under way): the source answers, not an empty table');
  assert.equal(coveringOriginalSql(pa, builds, ['2024-01-02T00:00:00.000', '2024-01-04T05:00:00.000'], '2024-01-03T23:59:59.999')?.length, 2,
    'past the last partition of the build range lies no data: what was built answers');
  const newest = [...builds.slice(0, 2), rec('2024-01-03', Date.parse('2024-01-03T10:00:00Z'))];
  assert.equal(coveringOriginalSql(pa, newest, ['2024-01-02T00:00:00.000', '2024-01-04T05:00:00.000'])?.length, 2,
    'past a last partition that held its build time lies only the future: what was built answers');
  assert.equal(coveringOriginalSql(pa, [builds[0]!, builds[2]!], undefined), null, 'a hole');
  assert.equal(coveringOriginalSql(pa, [builds[0]!, builds[2]!], ['2024-01-01T00:00:00.000', '2024-01-03T05:00:00.000']), null, 'a hole in the range');
  assert.equal(coveringOriginalSql(pa, builds, undefined)?.length, 3, 'unbounded reads every partition');
});

test('stale partitions: the built ones before the first stale one serve, the cube SQL reads on from there', async () => {
  const { splitStale, staleRowsRenderer } = await import('./original-sql.ts');
  const { Params } = await import('../sql/params.ts');
  const builds = [rec('2024-01-01', 0), rec('2024-01-02', 0), rec('2024-01-03', 0)];
  const staleFrom = (day: string) => (b: BuildRecord) => b.partitionStart >= `${day}T00:00:00.000`;
  const range = ['2024-01-01T00:00:00.000', '2024-01-03T23:59:59.999'] as const;
  const split = splitStale(pa, builds, builds, range, staleFrom('2024-01-02'));
  assert.deepEqual([split.built.map((b) => b.tableName), split.sourceFrom], [['t2024-01-01'], '2024-01-02T00:00:00.000']);
  assert.deepEqual(splitStale(pa, builds, builds, range, () => false), { built: builds }, 'nothing stale: all built ones serve');
  assert.equal(splitStale(pa, builds, builds, range, () => true).built.length, 0, 'stale from the start: the cube SQL serves it all');
  // A range past the last partition: new data may be on a day not built yet.
  const past = ['2024-01-03T00:00:00.000', '2024-01-05T23:59:59.999'] as const;
  const last = splitStale(pa, [builds[2]!], builds, past, staleFrom('2024-01-03'));
  assert.deepEqual([last.built.length, last.sourceFrom], [0, '2024-01-03T00:00:00.000']);
  const onlyLastDayNew = splitStale(pa, [builds[2]!], builds, past, () => false);
  assert.equal(onlyLastDayNew.sourceFrom, undefined, 'nothing arrived since: past the last partition lies nothing');

  const params = new Params();
  const sql = staleRowsRenderer(model, pa, 'duckdb', '2024-01-02T00:00:00.000', range)(params);
  assert.match(sql, /^SELECT "visits"\.\* FROM \(SELECT \* FROM atomic\.events WHERE .*\) AS "visits" WHERE /s);
  const { params: bound } = params.finalize(sql, (n) => `$${n}`);
  assert.ok(bound.includes('2024-01-02T00:00:00.000') && bound.includes('2024-01-03T23:59:59.999'), `bound from the stale point to the range end: ${JSON.stringify(bound)}`);
});
