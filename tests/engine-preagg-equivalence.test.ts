// Equivalence on PrestoDB and Trino: generated queries (random members, filters, segments,
// granularities, time zones and date ranges) over rollups the engine built into a DuckDB and a
// MySQL store give the engine's own answer without pre-aggregations, and both equal the truth
// computed from the generated rows. The answers are then compared across the two engines. The
// derived `visits` cube is answered from original_sql tables the engine wrote (CTAS in its Hive
// catalog) and from the rollups built on them, as the cube's SQL answers.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, MODEL_YAML, VISITS_YAML } from './preagg-fixture.ts';
import { againstTruth, byMember, prng, randomQuery, randomVisitsQuery, runOnStores } from './preagg-query-gen.ts';
import { sentEvents, truth } from './preagg-truth.ts';
import { ENGINE_NAMES } from './engines.ts';

/** Per engine, every query's answer as served by the DuckDB store (same seed on both engines). */
const answers = new Map<string, string[][]>();
const N = 24;

for (const engine of ENGINE_NAMES) {
  describe(`pre-aggregations built by ${engine}`, () => {
    test(`rollup answers equal ${engine}'s answers and the truth, on both stores`, async (t) => {
      const h = await harness('duckdb', { rows: 3000, days: 28, timezones: ['UTC', 'America/New_York'], engine });
      t.after(() => h.close());
      const mysql = await h.withStore('mysql');
      const started = Date.now();
      const [built, builtMysql] = await Promise.all([h.preAggs.refresh(), mysql.preAggs.refresh()]);
      assert.ok(built.length >= 10 && builtMysql.length === built.length, `partitions built: ${built.length}, ${builtMysql.length}`);
      const buildMs = Date.now() - started;
      const events = await sentEvents(h.generator);
      const queriesStarted = Date.now();
      const r = prng(2024);
      const used = new Map<string, number>();
      const mine: string[][] = [];
      for (let i = 0; i < N; i++) {
        const q = randomQuery(r);
        const label = `query ${i}: ${JSON.stringify(q)}`;
        const { source, outcomes } = await runOnStores(q, h.model, [h.preAggs, mysql.preAggs], h.source, h.dialect);
        const expected = truth(q, events);
        const raw = againstTruth(h.model, source.rows, source.aliasToMember, expected);
        assert.deepEqual(raw.actual, raw.expected, `${engine} without pre-aggregations, ${label}`);
        for (const [store, o] of [['duckdb', outcomes[0]!], ['mysql', outcomes[1]!]] as const) {
          assert.deepEqual(o.actual, o.expected, `${store} store via ${o.rollup ?? 'source'}, ${label}`);
          const vsTruth = againstTruth(h.model, o.rows, o.aliasToMember, expected);
          assert.deepEqual(vsTruth.actual, vsTruth.expected, `${store} store via ${o.rollup ?? 'source'} against the truth, ${label}`);
        }
        assert.equal(outcomes[1]!.rollup, outcomes[0]!.rollup, `both stores serve ${label} the same way`);
        used.set(outcomes[0]!.rollup ?? 'source', (used.get(outcomes[0]!.rollup ?? 'source') ?? 0) + 1);
        mine.push(byMember(outcomes[0]!.rows, outcomes[0]!.aliasToMember), byMember(outcomes[1]!.rows, outcomes[1]!.aliasToMember));
      }
      answers.set(engine, mine);
      t.diagnostic(`served by: ${JSON.stringify([...used])}; ${built.length} partitions per store built in ${buildMs} ms; ${N} queries in ${Date.now() - queriesStarted} ms`);
      const served = N - (used.get('source') ?? 0);
      assert.ok(served >= N * 0.25, `only ${served}/${N} served by rollups: ${JSON.stringify([...used])}`);
      for (const pa of ['pv.hourly', 'pv.daily_users']) assert.ok(used.get(pa), `${pa} never used: ${JSON.stringify([...used])}`);
    });

    test(`original_sql tables written by ${engine} and the rollups built on them answer as the cube's SQL`, async (t) => {
      const h = await harness('duckdb', { rows: 2000, days: 24, yaml: MODEL_YAML + VISITS_YAML, originalSql: true, engine });
      t.after(() => h.close());
      // The rollups' stores are covered above and in engine-preaggs.test.ts; original_sql lives in the engine.
      const built = await h.preAggs.refresh({ cubes: ['visits'] });
      const names = new Set(built.map((b) => b.preAggregation));
      for (const pa of ['visits.visits_table', 'visits.by_day', 'visits.user_day']) assert.ok(names.has(pa), `${pa} built`);
      const r = prng(77);
      const used = new Map<string, number>();
      for (let i = 0; i < 10; i++) {
        const q = randomVisitsQuery(r);
        const { outcomes } = await runOnStores(q, h.model, [h.preAggs], h.source, h.dialect);
        for (const o of outcomes) assert.deepEqual(o.actual, o.expected, `query ${i} via ${o.rollup ?? 'source'}: ${JSON.stringify(q)}`);
        used.set(outcomes[0]!.rollup ?? 'source', (used.get(outcomes[0]!.rollup ?? 'source') ?? 0) + 1);
      }
      t.diagnostic(`served by: ${JSON.stringify([...used])}`);
      assert.ok(used.get('visits.visits_table'), `visits.visits_table never used: ${JSON.stringify([...used])}`);
    });
  });
}

describe('across engines', () => {
  after(() => answers.clear());
  test('PrestoDB and Trino give the same answers, sketch estimates included', () => {
    const [presto, trino] = [answers.get('presto'), answers.get('trino')];
    assert.ok(presto && trino, 'both engines answered');
    assert.deepEqual(presto, trino);
  });
});
