// Retention end to end over a month of history: 35 days of tracker payloads imported with their
// original collector_tstamp (`webcube import`), a day-partitioned rollup built over them; then
// retention keeps 30 days: raw data and the rollup both hold exactly the kept days' events (truth
// from what was imported), and no rollup partition before the cutoff is left in use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCommand } from '../collector/src/import/import-command.ts';
import { runRetention } from '../collector/src/lifecycle/retention-command.ts';
import { retentionCutoff } from '../collector/src/lifecycle/retention.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { createLifecyclePass } from '../server/src/preagg/lifecycle-pass.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileTestModel } from './preagg-fixture.ts';

const DAY = 86_400_000;
const YAML = `
cubes:
  - name: visits
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
    dimensions:
      - {name: event_id, sql: event_id, type: string, primary_key: true}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - name: daily
        measures: [CUBE.count]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: day
`;

test('retention over 35 days of imported history: raw data and rollups keep exactly the last 30 days', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-retention-e2e-'));
  const env = { WEBCUBE_DATA_DIR: dir, COLLECTOR_DISK_MIN_FREE_BYTES: '0', WEBCUBE_RETENTION_DAYS: '30', WEBCUBE_RETENTION_EVERY_S: '60' };
  const now = Date.now();
  const today = Math.floor(now / DAY) * DAY;
  const perDay = new Map<string, number>();
  const lines: string[] = [];
  for (let d = 35; d >= 1; d--) {
    const n = 1 + (d % 4);
    for (let i = 0; i < n; i++) {
      const ts = today - d * DAY + 3_600_000 * (1 + i * 5);
      const dt = new Date(ts).toISOString().slice(0, 10);
      perDay.set(dt, (perDay.get(dt) ?? 0) + 1);
      lines.push(JSON.stringify({ collector_tstamp: ts, querystring: `e=pv&p=web&tv=js-4.0.0&aid=shop&eid=${crypto.randomUUID()}&url=${encodeURIComponent(`https://shop.test/${d}/${i}`)}&dtm=${ts}` }));
    }
  }
  const file = join(dir, 'history.ndjson');
  await writeFile(file, `${lines.join('\n')}\n`);
  await importCommand([file, '--format', 'tp2'], env);

  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: true });
  const store = await DuckDBStore.open(join(dir, 'preaggs.duckdb'));
  const model = compileTestModel(YAML);
  const preAggs = new PreAggregations({
    config: { schema: 'prod_pre_aggregations', batchSize: 1000, dropGraceSeconds: 0, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
    store, getModel: () => model, source: createSourceEngine({ getModel: () => model, driver, dialect: 'duckdb' }),
  });
  t.after(async () => { await preAggs.close(); await store.close(); await driver.close(); await rm(dir, { recursive: true, force: true }); });

  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  // The range ends with the last day that has data: a range reaching past the newest built
  // partition, when that partition ended before it was built, goes to the source (the refresh
  // may not have built the newer days yet; server/src/preagg/matcher.ts).
  const q = normalizeQuery({ measures: ['visits.count'], timeDimensions: [{ dimension: 'visits.ts', granularity: 'day', dateRange: [day(today - 40 * DAY), day(today - DAY)] }], timezone: 'UTC' }, model);
  const counts = async (viaRollup: boolean) => {
    await driver.refreshEventsView(true);
    if (!viaRollup) {
      const rows = await driver.query(`SELECT strftime(collector_tstamp, '%Y-%m-%d') AS d, count(*)::INT AS n FROM atomic.events GROUP BY 1`, []);
      return new Map(rows.map((r) => [String(r.d), Number(r.n)]));
    }
    const r = await runQuery(preAggs, model, q, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
    assert.equal(r.usedPreAggregation, 'visits.daily');
    const [dAlias] = Object.entries(r.compiled.aliasToMember).find(([, m]) => m === 'visits.ts.day')!;
    const [nAlias] = Object.entries(r.compiled.aliasToMember).find(([, m]) => m === 'visits.count')!;
    return new Map(r.rows.filter((row) => Number(row[nAlias]) > 0).map((row) => [String(row[dAlias]).slice(0, 10), Number(row[nAlias])]));
  };

  await driver.refreshEventsView(true);
  await preAggs.refresh();
  assert.deepEqual(await counts(false), perDay);
  assert.deepEqual(await counts(true), perDay);

  const cutoff = retentionCutoff(30, now);
  const kept = new Map([...perDay].filter(([d]) => d >= cutoff));
  assert.equal(kept.size, 30);
  // The refresh worker's pass applies WEBCUBE_RETENTION_DAYS, then drops the partitions.
  await createLifecyclePass({ preAggs, env, log: () => undefined, now: () => now })();
  assert.deepEqual(await counts(false), kept);
  assert.deepEqual(await counts(true), kept);
  const live = await preAggs.buildLog.list();
  assert.ok(live.length >= 30);
  assert.deepEqual(live.filter((b) => b.partitionEnd.slice(0, 10) < cutoff), []);
  // Run again: nothing more to drop.
  assert.deepEqual((await runRetention(env, 30, {}, now)).dropped, []);
});
