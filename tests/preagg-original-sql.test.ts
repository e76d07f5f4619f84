// original_sql end to end on a DuckDB source: partitions are materialised as Parquet in the
// source, rollups with use_original_sql_pre_aggregations are built from them (not from raw
// events), queries no rollup serves read them where built partitions cover the range, a
// rebuilt partition rebuilds the
// rollups that read it, and superseded files are deleted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { harness, MODEL_YAML, VISITS_YAML } from './preagg-fixture.ts';

const DAY = 86_400_000;

test('rollups using original_sql are built from its Parquet partitions, not from raw events', async (t) => {
  const h = await harness('duckdb', { rows: 2000, days: 20, yaml: MODEL_YAML + VISITS_YAML, originalSql: true });
  t.after(() => h.close());
  const seen: string[] = [];
  const query = h.source.query.bind(h.source);
  h.source.query = (sql, params) => { seen.push(sql); return query(sql, params); };
  await h.preAggs.refresh({ preAggregations: ['visits.visits_table'] });
  const copies = seen.filter((s) => s.startsWith('COPY'));
  assert.equal(copies.length, 3, 'one COPY per weekly partition');
  seen.length = 0;
  await h.preAggs.refresh({ preAggregations: ['visits.by_day'] });
  const loads = seen.filter((s) => /visits__ts_day/.test(s));
  assert.ok(loads.length > 0, 'by_day was built');
  for (const sql of loads) {
    assert.match(sql, /read_parquet\(\[/, 'reads the original_sql partitions');
    assert.doesNotMatch(sql, /atomic\.events/, 'never the raw events');
  }
});

test('queries read original_sql where built partitions cover them; a rebuilt partition rebuilds its rollups; old files go', async (t) => {
  // "Now" is the morning after the last day of data: the last weekly partition is still open.
  const start = Date.parse('2024-01-01T00:00:00Z');
  let now = start + 20 * DAY + 8 * 3600_000;
  const h = await harness('duckdb', { rows: 2000, days: 20, yaml: MODEL_YAML + VISITS_YAML, originalSql: true, now: () => now });
  t.after(() => h.close());
  await h.preAggs.refresh({ cubes: ['visits'] });
  const used = async (q: Record<string, unknown>) => {
    const nq = normalizeQuery(q, h.model);
    await h.preAggs.prepare(nq, h.model);
    const c = compileQuery(h.model, nq, { dialect: 'duckdb', preAggregations: h.preAggs.matcher });
    return Object.keys(c.usedPreAggregations);
  };
  const distinct = (from: string, to: string) => ({ measures: ['visits.browsers'], timeDimensions: [{ dimension: 'visits.ts', dateRange: [from, to] }] });
  assert.deepEqual(await used(distinct('2024-01-02', '2024-01-12')), ['visits.visits_table'], 'closed weeks');
  assert.deepEqual(await used(distinct('2024-01-10', '2024-01-20')), ['visits.visits_table'], 'the open week, as of its last build');
  assert.deepEqual(await used({ measures: ['visits.browsers'] }), ['visits.visits_table'], 'unbounded');

  // The original_sql partitions are rebuilt (forced): the rollups reading them follow, even
  // though their own refresh key has not changed.
  const old = (await h.preAggs.buildLog.list('visits.visits_table')).map((b) => b.tableName);
  now += 1000;
  const rebuilt = await h.preAggs.refresh({ preAggregations: ['visits.visits_table'], force: true });
  assert.equal(rebuilt.length, old.length);
  const stale = await h.preAggs.plan({ preAggregations: ['visits.by_day', 'visits.user_day'] });
  assert.ok(stale.length >= 2 && stale.every((p) => p.plan.reason === 'original_sql rebuilt'), JSON.stringify(stale.map((p) => p.plan.reason)));
  assert.ok(old.every((f) => !existsSync(join(h.dir, 'original_sql', `${f}.parquet`))), 'superseded Parquet files are deleted');
  assert.ok(rebuilt.every((b) => existsSync(join(h.dir, 'original_sql', `${b.tableName}.parquet`))));
});

// runQuery sent a query compiled against original_sql tables to the store, where they are not:
// the store "failed", was marked unhealthy, and the answer came from raw events.
test('runQuery answers from original_sql tables on the source, not from the store', async (t) => {
  const h = await harness('duckdb', { rows: 1000, days: 10, yaml: MODEL_YAML + VISITS_YAML, originalSql: true });
  t.after(() => h.close());
  await h.preAggs.refresh({ preAggregations: ['visits.visits_table'] });
  const q = normalizeQuery({ measures: ['visits.browsers'], dimensions: ['visits.country'] }, h.model);
  const ran: string[] = [];
  const r = await runQuery(h.preAggs, h.model, q, { dialect: 'duckdb', runSource: (sql, p) => { ran.push(sql); return h.source.query(sql, p); } });
  assert.equal(r.usedPreAggregation, 'visits.visits_table');
  assert.equal(h.preAggs.healthy, true, 'the store was not blamed');
  assert.equal(ran.length, 1);
  assert.match(ran[0]!, /read_parquet\(\[/, 'read from the original_sql Parquet files');
});
