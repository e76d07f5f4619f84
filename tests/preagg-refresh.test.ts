// Refresh behaviour: only partitions whose refresh key changed are rebuilt (incremental +
// update_window), old versions are superseded and dropped, a changed definition gets new tables,
// the jobs API speaks Cube's protocol, and the scheduler builds on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, MODEL_YAML, compileTestModel } from './preagg-fixture.ts';
import { createJobsHandler } from '../server/src/preagg/jobs-handler.ts';
import { createRefreshScheduler } from '../server/src/preagg/scheduler.ts';
import { parseTableName } from '../server/src/preagg/naming.ts';

const INCREMENTAL_YAML = MODEL_YAML.replace(
  '        partition_granularity: week\n',
  "        partition_granularity: week\n        refresh_key: {every: 1 hour, incremental: true, update_window: 10 day}\n",
);

test('only partitions whose refresh key changed are rebuilt; old versions are dropped', async (t) => {
  let now = Date.parse('2024-02-15T12:10:00Z');
  const h = await harness('duckdb', { rows: 3000, days: 45, yaml: INCREMENTAL_YAML, now: () => now });
  t.after(() => h.close());
  const first = await h.preAggs.refresh({ preAggregations: ['pv.hourly'] });
  assert.equal(first.length, 7, 'weeks from 2024-01-01 to 2024-02-12');
  assert.deepEqual(await h.preAggs.refresh({ preAggregations: ['pv.hourly'] }), [], 'nothing changed, nothing rebuilt');

  now += 3600_000; // next hour: the `every` key changes, but only inside the 10-day update window
  const second = await h.preAggs.refresh({ preAggregations: ['pv.hourly'] });
  assert.deepEqual(second.map((r) => r.partitionStart).sort(), ['2024-02-05T00:00:00.000', '2024-02-12T00:00:00.000']);
  const tables = (await h.store.listTables(h.schema)).filter((n) => n.startsWith('pv_hourly'));
  assert.equal(tables.length, 7, `one live table per partition after the old versions were dropped: ${tables.join(', ')}`);
  const febTables = tables.filter((n) => parseTableName(n)?.partition === '20240212');
  assert.deepEqual(febTables, [second.find((r) => r.partitionStart.startsWith('2024-02-12'))!.tableName]);
});

test('a changed rollup definition is built as new tables and the old structure is not used', async (t) => {
  const h = await harness('duckdb', { rows: 1500, days: 10 });
  t.after(() => h.close());
  await h.preAggs.refresh({ preAggregations: ['pv.mobile_daily'] });
  const oldTables = (await h.store.listTables(h.schema)).filter((n) => n.startsWith('pv_mobile_daily'));
  const changed = compileTestModel(MODEL_YAML.replace("measures: [CUBE.count]\n        segments: [CUBE.mobile_only]", "measures: [CUBE.count, CUBE.revenue]\n        segments: [CUBE.mobile_only]"));
  const pa = changed.preAggregations.get('pv.mobile_daily')!;
  assert.deepEqual(pa.measures, ['pv.count', 'pv.revenue']);
  const { PreAggregations } = await import('../server/src/preagg/pre-aggregations.ts');
  const { createSourceEngine } = await import('../server/src/preagg/compiled-source.ts');
  const p2 = new PreAggregations({
    config: { schema: h.schema, batchSize: 500, dropGraceSeconds: 0, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
    store: h.store, source: createSourceEngine({ getModel: () => changed, driver: h.source, dialect: 'duckdb' }), getModel: () => changed,
  });
  const built = await p2.refresh({ preAggregations: ['pv.mobile_daily'] });
  assert.equal(built.length, 1);
  const now = (await h.store.listTables(h.schema)).filter((n) => n.startsWith('pv_mobile_daily'));
  assert.equal(now.length, 1);
  assert.notEqual(now[0], oldTables[0]);
  assert.notEqual(parseTableName(now[0]!)!.structureVersion, parseTableName(oldTables[0]!)!.structureVersion);
  await p2.close();
});

test('jobs API: post returns tokens, get reports Cube statuses, errors use Cube wording', async (t) => {
  const h = await harness('duckdb', { rows: 1500, days: 20 });
  t.after(() => h.close());
  const jobs = createJobsHandler(h.preAggs);
  const tokens = await jobs({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'], preAggregations: ['pv.daily_users'] } }) as string[];
  assert.ok(tokens.length >= 1);
  assert.ok(tokens.every((tk) => /^[0-9a-f]{32}$/.test(tk)));
  await h.preAggs.queue.idle();
  const status = await jobs({ action: 'get', tokens: [...tokens, 'nope'] }) as { token: string; status: string; table?: string; selector?: { preAggregations: string[] } }[];
  for (const s of status.slice(0, -1)) {
    assert.equal(s.status, 'done');
    assert.match(s.table!, new RegExp(`^${h.schema}\\.pv_daily_users\\d{8}_`));
    assert.deepEqual(s.selector!.preAggregations, ['pv.daily_users']);
  }
  assert.deepEqual(status.at(-1), { token: 'nope', status: 'not_found' });
  const asObject = await jobs({ action: 'get', tokens: [tokens[0]], resType: 'object' }) as Record<string, { status: string; token?: string }>;
  assert.equal(asObject[tokens[0]!]!.status, 'done');
  assert.equal(asObject[tokens[0]!]!.token, undefined);
  // Already built: posting again answers done at once with the current table.
  const again = await jobs({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'], preAggregations: ['pv.daily_users'] } }) as string[];
  const st2 = await jobs({ action: 'get', tokens: again }) as { status: string }[];
  assert.ok(st2.every((s) => s.status === 'done'));

  await assert.rejects(jobs({}), /No job description provided/);
  await assert.rejects(jobs({ action: 'drop' }), /The 'drop' action type doesn't supported\./);
  await assert.rejects(jobs({ action: 'post', selector: { contexts: [], timezones: ['UTC'] } }), /Invalid Job query format/);
  await assert.rejects(jobs({ action: 'post', selector: { contexts: [{}], timezones: [] } }), /Invalid Job query format/);
  await assert.rejects(jobs({ action: 'post', selector: { contexts: [{}], timezones: ['UTC'], preAggregations: ['pv.nope'] } }),
    /A user's selector doesn't match any of the pre-aggregations defined in the data model\./);
});

test('the scheduler builds every scheduled rollup on start and stops cleanly', async (t) => {
  const h = await harness('duckdb', { rows: 1000, days: 8 });
  t.after(() => h.close());
  const logs: string[] = [];
  const s = createRefreshScheduler({ preAggs: h.preAggs, intervalSeconds: 3600, log: (m) => logs.push(m) });
  s.start();
  assert.ok(s.running);
  await s.runOnce();
  await s.stop();
  assert.ok(!s.running);
  const live = await h.preAggs.buildLog.list();
  assert.deepEqual([...new Set(live.map((r) => r.preAggregation))].sort(), ['pv.daily_users', 'pv.hourly', 'pv.mobile_daily']);
  assert.ok(logs.some((m) => /partition\(s\) built/.test(m)));
});
