// Freshness end to end: an event acknowledged by the real collector (tp2 GET) is written to
// Parquet by its flush, read by the embedded DuckDB driver as atomic.events, and appears in a
// query served by a lambda rollup (union_with_source_data) within 10 s of the ack.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadCollectorConfig } from '../collector/src/config.ts';
import { startCollector } from '../collector/src/collector-command.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileTestModel } from './preagg-fixture.ts';

const YAML = `
cubes:
  - name: live
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
    dimensions:
      - {name: event_id, sql: event_id, type: string, primary_key: true}
      - {name: app_id, sql: app_id, type: string}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - name: per_minute
        measures: [CUBE.count]
        dimensions: [CUBE.app_id]
        time_dimension: CUBE.ts
        granularity: minute
        partition_granularity: day
        union_with_source_data: true
`;

test('an event acknowledged by the collector shows in a rollup-served query within 10 s', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'preagg-collector-'));
  const appId = `fresh-${randomUUID().slice(0, 8)}`;
  const collector = await startCollector(loadCollectorConfig({
    WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
    COLLECTOR_FLUSH_MS: '2000', COLLECTOR_COOKIE_SECURE: 'false', COLLECTOR_COOKIE_SAMESITE: 'Lax',
  }));
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: true });
  const store = await DuckDBStore.open(join(dir, 'preaggs.duckdb'));
  const model = compileTestModel(YAML);
  const preAggs = new PreAggregations({
    config: { schema: 'prod_pre_aggregations', batchSize: 1000, dropGraceSeconds: 0, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
    store, getModel: () => model, source: createSourceEngine({ getModel: () => model, driver, dialect: 'duckdb' }),
    // The boundary a minute back keeps both test events in the live part, whatever the flush timing.
    lambdaLagMs: 60_000, tailTtlMs: 500,
  });
  t.after(async () => {
    await preAggs.close();
    await store.close();
    await driver.close();
    await collector.close();
    await rm(dir, { recursive: true, force: true });
  });
  const send = async () => {
    const res = await fetch(`${collector.url}/i?e=pv&p=web&tv=js-4.0.0&aid=${appId}&eid=${randomUUID()}&url=${encodeURIComponent('https://shop.test/a')}&dtm=${Date.now()}`);
    assert.equal(res.status, 200);
    await res.arrayBuffer();
  };
  const today = new Date().toISOString().slice(0, 10);
  const q = normalizeQuery({ measures: ['live.count'], dimensions: ['live.app_id'], filters: [{ member: 'live.app_id', operator: 'equals', values: [appId] }],
    timeDimensions: [{ dimension: 'live.ts', granularity: 'hour', dateRange: [today, today] }], timezone: 'UTC' }, model);
  const count = async () => {
    const r = await runQuery(preAggs, model, q, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
    const alias = Object.entries(r.compiled.aliasToMember).find(([, m]) => m === 'live.count')![0];
    return { used: r.usedPreAggregation, n: r.rows.reduce((s, row) => s + Number(row[alias]), 0) };
  };

  // History: one event, flushed and built into the rollup.
  await send();
  await collector.store.flush();
  await driver.refreshEventsView(true);
  assert.ok((await preAggs.refresh()).length >= 1, 'the rollup got built');
  assert.deepEqual(await count(), { used: 'live.per_minute', n: 1 });

  await send();
  const ackedAt = Date.now();
  let last = { used: null as string | null, n: 0 };
  while (Date.now() - ackedAt < 10_000) {
    last = await count();
    if (last.n === 2) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const seenAfterMs = Date.now() - ackedAt;
  t.diagnostic(`visible in a rollup-served answer ${seenAfterMs} ms after the collector's ack`);
  assert.deepEqual(last, { used: 'live.per_minute', n: 2 }, 'the second event is counted, through the rollup');
  assert.ok(seenAfterMs <= 10_000);
});
