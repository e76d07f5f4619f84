// count_distinct_approx from HyperLogLog sketch rows (issue #4): merged across partitions and
// granularities on both stores, it stays within 4 standard errors of the EXACT distinct count
// (APPROX_TOLERANCE, from the precision in server/src/sql/hll-estimate.ts), also in the HLL regime
// (> 2.5·2^p distinct values), next to additive measures that stay exact; lambda rollups merge
// their live tail in the same sketch form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './preagg-fixture.ts';
import { APPROX_TOLERANCE, exactModel } from './preagg-query-gen.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { HLL_M } from '../server/src/sql/hll-estimate.ts';

const YAML = (lambda: boolean) => `
cubes:
  - name: pv
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
      - {name: revenue, sql: tr_total, type: sum}
      - {name: approx_users, sql: domain_userid, type: count_distinct_approx}
      - {name: approx_mobile_users, sql: domain_userid, type: count_distinct_approx, filters: [{sql: "{CUBE}.dvce_ismobile"}]}
      - {name: events_per_user, sql: "1.0 * {count} / NULLIF({approx_users}, 0)", type: number}
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: country, sql: geo_country, type: string}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - name: daily
        measures: [CUBE.count, CUBE.revenue, CUBE.approx_users, CUBE.approx_mobile_users]
        dimensions: [CUBE.country]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: week
${lambda ? '        union_with_source_data: true\n' : ''}`;

interface Answer { readonly rollup: string | null; readonly rows: Record<string, unknown>[]; readonly exact: Record<string, unknown>[] }

async function ask(h: Harness, raw: Record<string, unknown>): Promise<Answer> {
  const nq = normalizeQuery({ timezone: 'UTC', ...raw }, h.model);
  await h.preAggs.prepare(nq, h.model);
  const withPa = compileQuery(h.model, nq, { dialect: 'duckdb', preAggregations: h.preAggs.matcher });
  const rows = await h.preAggs.execute(withPa);
  const named = (r: Record<string, unknown>, a: Record<string, string>) => Object.fromEntries(Object.entries(a).map(([k, m]) => [m, r[k]]));
  const exact = compileQuery(exactModel(h.model), nq, { dialect: 'duckdb' });
  const key = (r: Record<string, unknown>) => JSON.stringify(Object.entries(r).filter(([m]) => m === 'pv.country' || m.startsWith('pv.ts')).map(([, v]) => String(v)));
  const sort = (rs: Record<string, unknown>[]) => rs.sort((a, b) => key(a).localeCompare(key(b)));
  return {
    rollup: Object.keys(withPa.usedPreAggregations)[0] ?? null,
    rows: sort(rows.map((r) => named(r, withPa.aliasToMember))),
    exact: sort((await h.source.query(exact.sql, exact.params)).map((r) => named(r, exact.aliasToMember))),
  };
}

function checkApprox(a: Answer, members: readonly string[], label: string): number {
  assert.equal(a.rows.length, a.exact.length, `${label}: same rows`);
  let worst = 0;
  a.rows.forEach((r, i) => {
    const e = a.exact[i]!;
    assert.equal(Number(r['pv.count'] ?? 0), Number(e['pv.count'] ?? 0), `${label}: additive measures stay exact`);
    for (const m of members) {
      const got = Number(r[m]), want = Number(e[m]);
      assert.ok(Math.abs(got - want) <= APPROX_TOLERANCE * want + 1, `${label} ${m}: ${got} vs exact ${want} (row ${JSON.stringify(e)})`);
      if (want > 0) worst = Math.max(worst, Math.abs(got - want) / want);
    }
  });
  return worst;
}

for (const kind of ['duckdb', 'mysql'] as const) {
  test(`count_distinct_approx merged from sketches is within 4 standard errors of the exact count (${kind} store)`, async (t) => {
    // ~14,000 distinct users: totals are in the HyperLogLog regime (> 2.5·m), cells in linear counting.
    const h = await harness(kind, { rows: 70_000, days: 28, yaml: YAML(false), batchSize: 5000 });
    t.after(() => h.close());
    const built = await h.preAggs.refresh();
    assert.equal(built.length, 4, 'four weekly partitions');
    const members = ['pv.approx_users', 'pv.approx_mobile_users'];
    const cases: [string, Record<string, unknown>][] = [
      ['total', { measures: ['pv.count', ...members] }],
      ['by month', { measures: ['pv.count', ...members], timeDimensions: [{ dimension: 'pv.ts', granularity: 'month' }] }],
      ['by week', { measures: ['pv.count', ...members], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] }],
      ['by day and country (the rollup grain)', { measures: ['pv.count', ...members], dimensions: ['pv.country'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'day' }] }],
      ['by country, 10 days', { measures: ['pv.count', ...members], dimensions: ['pv.country'], timeDimensions: [{ dimension: 'pv.ts', dateRange: ['2024-01-03', '2024-01-12'] }] }],
      ['filtered', { measures: ['pv.count', ...members], filters: [{ member: 'pv.country', operator: 'equals', values: ['DE'] }], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] }],
    ];
    const worst: Record<string, string> = {};
    for (const [label, q] of cases) {
      const a = await ask(h, q);
      assert.equal(a.rollup, 'pv.daily', `${label}: served by the rollup`);
      worst[label] = `${(checkApprox(a, members, label) * 100).toFixed(2)} %`;
    }
    const total = (await ask(h, cases[0]![1])).exact[0]!;
    assert.ok(Number(total['pv.approx_users']) > 2.5 * HLL_M, `the total (${String(total['pv.approx_users'])}) exercises the HyperLogLog estimate, not only linear counting`);
    t.diagnostic(`worst relative error per case (tolerance ${(APPROX_TOLERANCE * 100).toFixed(1)} %): ${JSON.stringify(worst)}`);
  });
}

test('a calculated measure over count_distinct_approx is computed from the merged estimate; count_distinct_approx alone too', async (t) => {
  const h = await harness('duckdb', { rows: 5000, days: 14, yaml: YAML(false) });
  t.after(() => h.close());
  await h.preAggs.refresh();
  const a = await ask(h, { measures: ['pv.count', 'pv.approx_users', 'pv.events_per_user'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] });
  assert.equal(a.rollup, 'pv.daily');
  for (const r of a.rows) assert.ok(Math.abs(Number(r['pv.events_per_user']) - Number(r['pv.count']) / Number(r['pv.approx_users'])) < 1e-9);
  checkApprox(a, ['pv.approx_users'], 'weekly');
  const alone = await ask(h, { measures: ['pv.approx_users'], dimensions: ['pv.country'] });
  assert.equal(alone.rollup, 'pv.daily');
  checkApprox(alone, ['pv.approx_users'], 'by country');
});

for (const kind of ['duckdb', 'mysql'] as const) {
  test(`a lambda rollup merges its live tail's sketch rows with the built partitions (${kind} store)`, async (t) => {
    const h = await harness(kind, { rows: 8000, days: 3, start: "CAST(now() AS TIMESTAMP) - INTERVAL 3 DAY", yaml: YAML(true), lambdaLagMs: 0, tailTtlMs: 500 });
    t.after(() => h.close());
    await h.preAggs.refresh();
    // Events after the build: only the tail holds them.
    await h.source.exec(`INSERT INTO atomic.events (event_id, collector_tstamp, geo_country, domain_userid)
      SELECT 'late' || i, CAST(now() AS TIMESTAMP) + INTERVAL 1 MINUTE, 'DE', 'late-user-' || i FROM range(300) t(i)`);
    const a = await ask(h, { measures: ['pv.count', 'pv.approx_users'], dimensions: ['pv.country'] });
    assert.equal(a.rollup, 'pv.daily');
    checkApprox(a, ['pv.approx_users'], 'lambda');
    const de = a.exact.find((r) => r['pv.country'] === 'DE')!;
    assert.ok(Number(de['pv.count']) >= 300);
  });
}
