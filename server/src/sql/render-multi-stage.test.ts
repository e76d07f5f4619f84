// Multi-stage measures on real DuckDB through compileQuery: a stage over a stage (a share of the
// prior year's total), refusals with a clear reason (filters on a stage, named shifts, rank
// without order_by), and never a pre-aggregation for a stage. Truth is counted from ROWS here.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDbDriver } from '../drivers/duckdb-driver.ts';
import { UserError } from '../errors.ts';
import { compileModelFromSources } from '../model/load-model.ts';
import { measureCoverage } from '../preagg/matcher.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileYamlModel } from '../query/test-model.ts';
import { compileQuery } from './compile-query.ts';

const ROWS: readonly [string, string, number][] = [
  ['2023-03-02', 'a', 5], ['2023-03-20', 'b', 15], ['2023-07-01', 'a', 4],
  ['2024-03-05', 'a', 7], ['2024-03-06', 'b', 1], ['2024-07-09', 'b', 6],
];

const MODEL = `
cubes:
  - name: t
    sql_table: ms_t
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
      - { name: day, sql: day, type: time }
      - { name: kind, sql: kind, type: string }
    measures:
      - { name: amount, sql: amount, type: sum }
      - name: amountPriorYear
        multi_stage: true
        sql: "{amount}"
        type: number
        time_shift: [{ time_dimension: day, interval: 1 year, type: prior }]
      - name: priorYearAllKinds
        multi_stage: true
        sql: "{amountPriorYear}"
        type: sum
        reduce_by: [kind]
      - name: named
        multi_stage: true
        sql: "{amount}"
        type: number
        time_shift: [{ name: retail_prior }]
`;

const model = compileYamlModel({ 'm.yml': MODEL });
let duck: DuckDbDriver;
before(async () => {
  duck = await DuckDbDriver.create({ type: 'duckdb', dataDir: '/nonexistent', databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 30_000, defineEvents: false });
  await duck.query('CREATE TABLE ms_t (id INTEGER, day TIMESTAMP, kind VARCHAR, amount INTEGER)', []);
  for (const [i, r] of ROWS.entries()) await duck.query('INSERT INTO ms_t VALUES (?, CAST(? AS TIMESTAMP), ?, ?)', [i + 1, ...r]);
});
after(() => duck.close());

const run = async (raw: unknown) => {
  const c = compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb' });
  const rows = await duck.query(c.sql, c.params);
  return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [c.aliasToMember[k] ?? k, typeof v === 'bigint' ? Number(v) : v])));
};

test('a stage over a time-shifted stage: last year\'s total of all kinds beside each kind', async () => {
  const rows = await run({
    measures: ['t.amount', 't.amountPriorYear', 't.priorYearAllKinds'], dimensions: ['t.kind'],
    timeDimensions: [{ dimension: 't.day', granularity: 'month', dateRange: ['2024-01-01', '2024-12-31'] }],
  });
  const sum = (f: (r: typeof ROWS[number]) => boolean) => ROWS.filter(f).reduce((s, r) => s + r[2], 0);
  const truth = ROWS.filter((r) => r[0] >= '2024').map(([d, k]) => {
    const prior = (kinds: (k: string) => boolean) => sum((r) => r[0].slice(0, 7) === `2023${d.slice(4, 7)}` && kinds(r[1]));
    const has = ROWS.some((r) => r[0].slice(0, 7) === `2023${d.slice(4, 7)}` && r[1] === k);
    return [k, `${d.slice(0, 7)}`, sum((r) => r[1] === k && r[0].slice(0, 7) === d.slice(0, 7)), has ? prior((x) => x === k) : null, prior(() => true)];
  });
  const got = rows.map((r) => [r['t.kind'], String(r['t.day.month']).slice(0, 7), Number(r['t.amount']),
    r['t.amountPriorYear'] === null ? null : Number(r['t.amountPriorYear']), Number(r['t.priorYearAllKinds'])]);
  const byKey = (a: unknown[], b: unknown[]) => JSON.stringify(a).localeCompare(JSON.stringify(b));
  assert.deepEqual(got.sort(byKey), truth.sort(byKey));
});

test('a lone coarser stage answers every row of the query\'s own grain', async () => {
  const rows = await run({
    measures: ['t.priorYearAllKinds'], dimensions: ['t.kind'],
    timeDimensions: [{ dimension: 't.day', granularity: 'month', dateRange: ['2024-01-01', '2024-12-31'] }],
  });
  const cells = new Set(ROWS.filter((r) => r[0] >= '2024').map(([d, k]) => `${d.slice(0, 7)}|${k}`));
  const priorMonth = (m: string) => ROWS.filter((r) => r[0].slice(0, 7) === `2023${m.slice(4)}`).reduce((s, r) => s + r[2], 0);
  const truth = [...cells].map((c) => `${c}|${priorMonth(c.split('|')[0]!)}`).sort();
  assert.deepEqual(rows.map((r) => `${String(r['t.day.month']).slice(0, 7)}|${r['t.kind']}|${Number(r['t.priorYearAllKinds'])}`).sort(), truth);
});

test('clear refusals: a filter on a stage, a named shift without a calendar', () => {
  const q = (raw: unknown) => () => compileQuery(model, normalizeQuery(raw, model), { dialect: 'duckdb' });
  const td = [{ dimension: 't.day', granularity: 'month', dateRange: ['2024-01-01', '2024-12-31'] }];
  assert.throws(q({ measures: ['t.amount'], timeDimensions: td, filters: [{ member: 't.amountPriorYear', operator: 'gt', values: ['1'] }] }),
    (e: Error) => e instanceof UserError && /Filtering on the multi-stage measure 't\.amountPriorYear'/.test(e.message));
  assert.throws(q({ measures: ['t.named'], timeDimensions: td }), (e: Error) => e instanceof UserError && /named time shifts/.test(e.message));
});

test('a rank measure needs order_by and multi_stage, said where it is written', () => {
  const { errors } = compileModelFromSources([{ path: 'r.yml', content: MODEL.replace('    measures:\n', '    measures:\n      - { name: r, type: rank }\n') }]);
  assert.ok(errors.some((e) => /type rank needs 'multi_stage: true' and 'order_by'/.test(e.message)), JSON.stringify(errors));
});

test('a pre-aggregation never answers a multi-stage measure, even one holding what it references', () => {
  assert.equal(measureCoverage(model, 't.amount', new Set(['t.amount'])), 'additive');
  assert.equal(measureCoverage(model, 't.amountPriorYear', new Set(['t.amount', 't.amountPriorYear'])), null);
});
