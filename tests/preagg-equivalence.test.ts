// Equivalence: generated queries (random members, filters, segments, granularities, time zones
// and date ranges) give the same rows with and without pre-aggregations, on both stores. Also
// checks that the rollups really serve a good share of them, so the test cannot pass vacuously.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, MODEL_YAML, VISITS_YAML } from './preagg-fixture.ts';
import { prng, randomQuery, randomVisitsQuery, runBoth } from './preagg-query-gen.ts';

for (const kind of ['duckdb', 'mysql'] as const) {
  test(`rollup answers equal source answers (${kind} store)`, async (t) => {
    const h = await harness(kind, { rows: 6000, days: 45, timezones: ['UTC', 'America/New_York'] });
    t.after(() => h.close());
    const built = await h.preAggs.refresh();
    assert.ok(built.length >= 10, `expected partitions to be built, got ${built.length}`);
    const r = prng(kind === 'duckdb' ? 42 : 4242);
    const used = new Map<string, number>();
    const N = 160;
    // Queries with avg or calculated measures that a rollup re-aggregated (coarser than its grain).
    let derived = 0;
    // Queries whose count_distinct_approx was merged from sketch rows (checked within tolerance).
    let approx = 0;
    const DERIVED = ['pv.avg_value', 'pv.revenue_per_event', 'pv.value_spread', 'pv.avg_value_x2'];
    for (let i = 0; i < N; i++) {
      const q = randomQuery(r);
      const o = await runBoth(q, h.model, h.preAggs, h.source);
      assert.deepEqual(o.actual, o.expected, `query ${i} via ${o.rollup ?? 'source'}: ${JSON.stringify(q)}`);
      const td = (q.timeDimensions as { granularity?: string }[])[0];
      if (o.rollup === 'pv.hourly' && (q.measures as string[]).some((m) => DERIVED.includes(m)) && td?.granularity !== 'hour') derived++;
      if (o.rollup && (q.measures as string[]).includes('pv.approx_users')) approx++;
      const k = o.rollup ?? 'source';
      used.set(k, (used.get(k) ?? 0) + 1);
    }
    t.diagnostic(`served by: ${JSON.stringify([...used])}; avg/number measures re-aggregated by pv.hourly: ${derived}; approx distinct merged: ${approx}`);
    assert.ok(approx >= 5, `count_distinct_approx merged from sketches only ${approx} times`);
    assert.ok(derived >= 5, `avg/number measures re-aggregated from pv.hourly only ${derived} times`);
    const served = N - (used.get('source') ?? 0);
    assert.ok(served >= N * 0.25, `only ${served}/${N} served by rollups: ${JSON.stringify([...used])}`);
    for (const pa of ['pv.hourly', 'pv.daily_users', 'pv.mobile_daily']) assert.ok(used.get(pa), `${pa} never used: ${JSON.stringify([...used])}`);
  });
}

for (const kind of ['duckdb', 'mysql'] as const) {
  test(`original_sql and the rollups built from it answer as the cube's SQL (${kind} store)`, async (t) => {
    const h = await harness(kind, { rows: 3000, days: 40, yaml: MODEL_YAML + VISITS_YAML, originalSql: true });
    t.after(() => h.close());
    const built = await h.preAggs.refresh({ cubes: ['visits'] });
    const names = new Set(built.map((b) => b.preAggregation));
    for (const pa of ['visits.visits_table', 'visits.by_day', 'visits.user_day']) assert.ok(names.has(pa), `${pa} built`);
    const r = prng(kind === 'duckdb' ? 7 : 77);
    const used = new Map<string, number>();
    const N = 90;
    for (let i = 0; i < N; i++) {
      const q = randomVisitsQuery(r);
      const o = await runBoth(q, h.model, h.preAggs, h.source);
      assert.deepEqual(o.actual, o.expected, `query ${i} via ${o.rollup ?? 'source'}: ${JSON.stringify(q)}`);
      used.set(o.rollup ?? 'source', (used.get(o.rollup ?? 'source') ?? 0) + 1);
    }
    t.diagnostic(`served by: ${JSON.stringify([...used])}`);
    for (const pa of ['visits.visits_table', 'visits.by_day']) assert.ok(used.get(pa), `${pa} never used: ${JSON.stringify([...used])}`);
  });
}
