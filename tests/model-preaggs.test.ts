// The model's pre-aggregations (schema/*.yml) build on demo traffic, and the dashboard's queries
// give the same rows from them as from raw events; additive reports must be served by a rollup.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { planTraffic } from '../collector/src/demo/plan-traffic.ts';
import { hitToParams } from '../collector/src/demo/hit-to-params.ts';
import { writeEventsParquet } from '../collector/src/demo/write-parquet.ts';
import { createEnrichContext, processTrackerEvent } from '../collector/src/process-event.ts';
import type { AtomicEvent } from '../collector/src/atomic/columns.ts';
import { loadModel, type CompiledModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import { duckdbParquetTables } from '../server/src/preagg/source-tables.ts';

const DAY = 86_400_000;
const SITE = 'demo-site';

function rowsOf(rows: Record<string, unknown>[], aliasToMember: Readonly<Record<string, string>>): string[] {
  const norm = (v: unknown) => (typeof v === 'number' || (typeof v === 'string' && /^-?\d+(\.\d+)?(e-?\d+)?$/.test(v)) ? Number(Number(v).toPrecision(12)) : v);
  return rows.map((r) => JSON.stringify(Object.entries(r).map(([k, v]) => [aliasToMember[k] ?? k, norm(v)]).sort())).sort();
}

describe('pre-aggregations of the web-analytics model', () => {
  let dir: string;
  let driver: DuckDbDriver;
  let model: CompiledModel;
  let store: DuckDBStore;
  let preAggs: PreAggregations;
  const end = Math.floor(Date.now() / DAY) * DAY;
  const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
  const range = [day(end - 14 * DAY), day(end - DAY)];
  const site = [{ member: 'sessions.app_id', operator: 'equals', values: [SITE] }];
  const pvSite = [{ member: 'page_views.app_id', operator: 'equals', values: [SITE] }];
  const evSite = [{ member: 'events.app_id', operator: 'equals', values: [SITE] }];
  // Monday three weeks back to the Sunday ending this week: the dashboard's cohort range shape.
  const monday = end - 21 * DAY - (((new Date(end).getUTCDay() + 6) % 7) * DAY);
  const wholeWeeks = [day(monday), day(monday + 27 * DAY)];

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-preaggs-'));
    const ctx = createEnrichContext({});
    const events: AtomicEvent[] = [];
    for (const s of planTraffic({ seed: 'preaggs', startMs: end - 15 * DAY, days: 15, sessionsPerDay: 40, appIds: [SITE, 'other-site'], untilMs: Date.now() })) {
      for (const h of s.hits) events.push(processTrackerEvent(hitToParams(h), { collectorTstamp: h.time, ip: h.ip, useragent: h.ua }, ctx).event!);
    }
    await writeEventsParquet(dir, events);
    ({ model } = await loadModel({ schemaPath: new URL('../schema', import.meta.url).pathname }));
    driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 120_000, defineEvents: true });
    store = await DuckDBStore.open(join(dir, 'preaggs.duckdb'));
    preAggs = new PreAggregations({
      config: { schema: 'model_preaggs', batchSize: 5000, dropGraceSeconds: 0, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
      store, source: createSourceEngine({ getModel: () => model, driver, dialect: 'duckdb' }), getModel: () => model, retries: 1,
      sourceTables: duckdbParquetTables(driver, join(dir, 'pre_aggregations')),
    });
  });
  after(async () => {
    await preAggs?.close();
    await store?.close();
    await driver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('every pre-aggregation builds', async () => {
    const built = await preAggs.refresh();
    const names = new Set(built.map((b) => b.preAggregation));
    assert.ok(built.length > 0, 'partitions were built');
    // rollup_lambda has no table of its own; original_sql is materialised in the source.
    for (const [pa, def] of model.preAggregations) {
      if (def.type !== 'rollup' && def.type !== 'originalSql') continue;
      assert.ok(names.has(pa), `${pa} built (got ${[...names].join(', ')})`);
    }
  });

  // The flag marks queries a pre-aggregation must serve: additive measures, KPI rates (number
  // measures over additive ones, computed from the re-aggregated parts), distinct users at a
  // rollup's exact grain or from a rollup keyed by the user, and anything else on a derived cube
  // from its original_sql table (sessions, page views).
  const dashboard: [string, Record<string, unknown>, boolean][] = [
    ['KPI row', { measures: ['sessions.users', 'sessions.new_users', 'sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.average_engagement_time'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['KPI rates', { measures: ['sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.average_engagement_time', 'sessions.views_per_session'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['rates by week, all sites', { measures: ['sessions.engagement_rate', 'sessions.views_per_session'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'week', dateRange: range }] }, true],
    ['audience: engagement rate by country', { measures: ['sessions.count', 'sessions.engagement_rate'], dimensions: ['sessions.country'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site, order: { 'sessions.engagement_rate': 'desc' } }, true],
    ['sources with a high bounce rate', { measures: ['sessions.count', 'sessions.bounce_rate'], dimensions: ['sessions.source'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: [...site, { member: 'sessions.bounce_rate', operator: 'gt', values: ['0.3'] }] }, true],
    ['sessions by day', { measures: ['sessions.count'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: range }], filters: site }, true],
    ['users by day', { measures: ['sessions.users'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: range }], filters: site }, true],
    ['engagement by day', { measures: ['sessions.average_engagement_time'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: range }], filters: site }, true],
    ['channels', { measures: ['sessions.count'], dimensions: ['sessions.channel'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['acquisition by source / medium', { measures: ['sessions.count', 'sessions.engagement_rate', 'sessions.key_events'], dimensions: ['sessions.source_medium'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['landing pages', { measures: ['sessions.count', 'sessions.bounce_rate', 'sessions.average_engagement_time'], dimensions: ['sessions.landing_page'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['devices', { measures: ['sessions.count'], dimensions: ['sessions.device_type'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['countries with users', { measures: ['sessions.users', 'sessions.count'], dimensions: ['sessions.country'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range }], filters: site }, true],
    ['views by day', { measures: ['page_views.count'], timeDimensions: [{ dimension: 'page_views.timestamp', granularity: 'day', dateRange: range }], filters: pvSite }, true],
    ['top pages', { measures: ['page_views.count', 'page_views.average_engagement_time'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: range }], filters: pvSite }, true],
    ['scroll depth', { measures: ['page_views.count'], dimensions: ['page_views.scroll_depth_bucket'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: range }], filters: pvSite }, true],
    ['events by name', { measures: ['events.count'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: range }], filters: evSite }, true],
    ['events by name with users', { measures: ['events.count', 'events.users'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: range }], filters: [...evSite, { member: 'events.event_name', operator: 'notEquals', values: ['page_ping'] }] }, true],
    ['users by source over whole minutes', { measures: ['events.users'], dimensions: ['events.source'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: [`${range[1]}T06:00:00.000`, `${range[1]}T20:29:59.999`] }], filters: evSite }, true],
    ['retention cohorts of whole weeks', { measures: ['retention.users', 'retention.cohort_users', 'retention.retention_rate'], dimensions: ['retention.weeks_since_first'], timeDimensions: [{ dimension: 'retention.cohort_week', granularity: 'week', dateRange: wholeWeeks }] }, true],
    ['retention', { measures: ['retention.users', 'retention.retention_rate'], dimensions: ['retention.cohort_week', 'retention.weeks_since_first'], filters: [{ member: 'retention.app_id', operator: 'equals', values: [SITE] }] }, true],
  ];

  for (const [name, query, mustUseRollup] of dashboard) {
    test(`dashboard query "${name}" gives the same rows from pre-aggregations${mustUseRollup ? ', served by a rollup' : ''}`, async (t) => {
      const nq = normalizeQuery(query, model);
      await preAggs.prepare(nq, model);
      const withPa = compileQuery(model, nq, { dialect: 'duckdb', preAggregations: preAggs.matcher });
      const used = Object.keys(withPa.usedPreAggregations)[0];
      const onStore = Object.values(withPa.usedPreAggregations).some((u) => u.type !== 'originalSql');
      const actual = onStore ? await preAggs.execute(withPa) : await driver.query(withPa.sql, withPa.params);
      const plain = compileQuery(model, nq, { dialect: 'duckdb' });
      const expected = await driver.query(plain.sql, plain.params);
      assert.ok(expected.length > 0, 'the query has data');
      assert.deepEqual(rowsOf(actual as Record<string, unknown>[], withPa.aliasToMember), rowsOf(expected, plain.aliasToMember));
      t.diagnostic(`served by ${used ?? 'raw events'}`);
      if (mustUseRollup) assert.ok(used, 'served by a pre-aggregation');
    });
  }
});
