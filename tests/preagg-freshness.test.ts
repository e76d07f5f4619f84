// Freshness (lambda): with union_with_source_data, an event that reaches the source after the
// last build shows up in a rollup-served query within 10 s, and the answer stays equal to the
// source's. Runs on both stores.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness } from './preagg-fixture.ts';
import { byMember } from './preagg-query-gen.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';

const LAMBDA_YAML = `
cubes:
  - name: pv
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
      - {name: revenue, sql: tr_total, type: sum}
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: country, sql: geo_country, type: string}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - name: live
        measures: [CUBE.count, CUBE.revenue]
        dimensions: [CUBE.country]
        time_dimension: CUBE.ts
        granularity: hour
        partition_granularity: day
        union_with_source_data: true
`;

// Cube's other spelling: a batch rollup plus a rollup_lambda that unions it with the source.
const ROLLUP_LAMBDA_YAML = LAMBDA_YAML.replace('        union_with_source_data: true\n', `      - name: live_lambda
        type: rollup_lambda
        union_with_source_data: true
        rollups: [CUBE.live]
`);

const today = () => new Date().toISOString().slice(0, 10);
const daysAgo = (n: number) => new Date(Date.now() - n * 86400000).toISOString().slice(0, 10);

for (const [kind, yaml, name] of [['duckdb', LAMBDA_YAML, 'pv.live'], ['mysql', LAMBDA_YAML, 'pv.live'], ['duckdb', ROLLUP_LAMBDA_YAML, 'pv.live_lambda']] as const) {
  test(`an event collected after the build appears in a rollup-served query within 10 s (${kind}, ${name})`, async (t) => {
    const h = await harness(kind, {
      rows: 3000, days: 3, start: "CAST(now() AS TIMESTAMP) - INTERVAL 3 DAY", yaml, lambdaLagMs: 0, tailTtlMs: 500,
    });
    t.after(() => h.close());
    const built = await h.preAggs.refresh();
    assert.ok(built.length >= 3, `partitions built: ${built.length}`);
    const raw = { measures: ['pv.count', 'pv.revenue'], dimensions: ['pv.country'], timezone: 'UTC',
      timeDimensions: [{ dimension: 'pv.ts', granularity: 'day', dateRange: [daysAgo(4), today()] }] };
    const run = async () => {
      const q = normalizeQuery(raw, h.model);
      const r = await runQuery(h.preAggs, h.model, q, { dialect: 'duckdb', runSource: (sql, p) => h.source.query(sql, p) });
      const plain = compileQuery(h.model, q, { dialect: 'duckdb' });
      return { ...r, expected: byMember(await h.source.query(plain.sql, plain.params), plain.aliasToMember), actual: byMember(r.rows, r.compiled.aliasToMember) };
    };
    const todayCount = (rows: Record<string, unknown>[], aliases: Record<string, string>) => {
      const a = Object.entries(aliases);
      const dayAlias = a.find(([, m]) => m === 'pv.ts.day')![0];
      const countAlias = a.find(([, m]) => m === 'pv.count')![0];
      const countryAlias = a.find(([, m]) => m === 'pv.country')![0];
      return rows.filter((r) => String(r[dayAlias]).startsWith(today()) && r[countryAlias] === 'ZZ').reduce((s, r) => s + Number(r[countAlias]), 0);
    };

    const before = await run();
    assert.equal(before.usedPreAggregation, name);
    assert.deepEqual(before.actual, before.expected);
    assert.equal(todayCount(before.rows, before.compiled.aliasToMember as Record<string, string>), 0);

    // The "collector ack": the event is in the source now.
    await h.source.exec(`INSERT INTO atomic.events (event_id, collector_tstamp, geo_country, tr_total)
      VALUES ('fresh-1', CAST(now() AS TIMESTAMP), 'ZZ', 12.5)`);
    const deadline = Date.now() + 10_000;
    let last = before;
    while (Date.now() < deadline) {
      last = await run();
      if (last.usedPreAggregation === name && todayCount(last.rows, last.compiled.aliasToMember as Record<string, string>) === 1) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    assert.equal(last.usedPreAggregation, name, 'served by the lambda rollup');
    assert.equal(todayCount(last.rows, last.compiled.aliasToMember as Record<string, string>), 1, 'fresh event visible within 10 s');
    assert.deepEqual(last.actual, last.expected, 'lambda answer equals the source answer');
  });
}

// Just after midnight the lambda boundary (the current hour) is the first bucket of today's
// partition: no partition holds it, so yesterday's, which ends there, must hand today to the source.
test('a lambda boundary on the first bucket of a partition still reads that day from the source (duckdb, pv.live)', async (t) => {
  const justAfterMidnight = Date.parse(`${today()}T00:30:00Z`);
  const h = await harness('duckdb', {
    rows: 3000, days: 3, start: "CAST(now() AS TIMESTAMP) - INTERVAL 3 DAY", yaml: LAMBDA_YAML, lambdaLagMs: 0, tailTtlMs: 500,
    now: () => justAfterMidnight,
  });
  t.after(() => h.close());
  await h.preAggs.refresh();
  const q = normalizeQuery({ measures: ['pv.count'], timezone: 'UTC',
    timeDimensions: [{ dimension: 'pv.ts', granularity: 'day', dateRange: [daysAgo(4), today()] }] }, h.model);
  const r = await runQuery(h.preAggs, h.model, q, { dialect: 'duckdb', runSource: (sql, p) => h.source.query(sql, p) });
  const plain = compileQuery(h.model, q, { dialect: 'duckdb' });
  assert.equal(r.usedPreAggregation, 'pv.live');
  const expected = byMember(await h.source.query(plain.sql, plain.params), plain.aliasToMember);
  assert.ok(expected.some((row) => row.includes(`${today()}T00:00:00`)), 'the source has events today');
  assert.deepEqual(byMember(r.rows, r.compiled.aliasToMember), expected);
});
