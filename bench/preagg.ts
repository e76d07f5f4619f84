// Pre-aggregation benchmark: generates N events as the collector's Parquet layout (atomic.events
// columns, dt= partitions, zstd), builds the real schema/'s event rollups from them with the
// embedded DuckDB source into the DuckDB store, and times dashboard queries served by the rollups
// beside the same queries on the raw events, in the same run; then the same for the sessions
// KPI rates (number measures computed from sessions.by_source's re-aggregated counts and sums).
// Size: BENCH_PREAGG_EVENTS (default 1,000,000; the targets are stated for 100,000,000) over
// BENCH_PREAGG_DAYS (default 30) days ending yesterday.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { atomicColumns } from '../collector/src/atomic/columns.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { loadModel } from '../server/src/model/load-model.ts';
import { compileQuery } from '../server/src/query/compile-query.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import type { BenchResult } from './run.ts';

/** Realistic values for the columns the model reads; every other atomic column is a typed NULL. */
const GENERATED: Record<string, string> = {
  app_id: `(['shop', 'blog', 'docs'])[1 + (h1 % 3)]`,
  platform: `'web'`,
  event: `CASE WHEN h2 % 10 < 6 THEN 'page_view' WHEN h2 % 10 < 9 THEN 'page_ping' ELSE 'struct' END`,
  event_name: `CASE WHEN h2 % 10 < 6 THEN 'page_view' WHEN h2 % 10 < 9 THEN 'page_ping' WHEN h2 % 50 = 49 THEN 'purchase' ELSE 'event' END`,
  event_vendor: `'com.snowplowanalytics.snowplow'`,
  event_id: `'ev-' || CAST(i AS VARCHAR)`,
  collector_tstamp: `ts`,
  derived_tstamp: `ts`,
  dvce_created_tstamp: `ts`,
  domain_userid: `'u' || CAST(h3 % ${'${USERS}'} AS VARCHAR)`,
  domain_sessionid: `'s' || CAST(h3 % ${'${USERS}'} AS VARCHAR) || '-' || CAST(CAST(epoch(ts) / 1800 AS BIGINT) AS VARCHAR)`,
  domain_sessionidx: `CAST(1 + h4 % 5 AS SMALLINT)`,
  page_urlhost: `'example.com'`,
  page_urlpath: `'/p/' || CAST(h4 % 200 AS VARCHAR)`,
  page_url: `'https://example.com/p/' || CAST(h4 % 200 AS VARCHAR)`,
  page_title: `'Page ' || CAST(h4 % 200 AS VARCHAR)`,
  refr_medium: `(['search', 'social', NULL, 'internal'])[1 + (h5 % 4)]`,
  refr_source: `(['Google', 'Twitter', NULL, NULL])[1 + (h5 % 4)]`,
  mkt_source: `CASE WHEN h5 % 7 = 0 THEN 'newsletter' END`,
  mkt_medium: `CASE WHEN h5 % 7 = 0 THEN 'email' END`,
  geo_country: `(['US', 'DE', 'FR', 'GB', 'IN', 'BR'])[1 + (h1 % 6)]`,
  br_family: `(['Chrome', 'Safari', 'Firefox', 'Edge'])[1 + (h2 % 4)]`,
  os_family: `(['Windows', 'Mac OS X', 'iOS', 'Android'])[1 + (h3 % 4)]`,
  dvce_type: `(['Computer', 'Mobile', 'Tablet'])[1 + (h4 % 3)]`,
  dvce_ismobile: `h4 % 3 = 1`,
  tr_total: `CASE WHEN h2 % 50 = 49 THEN CAST((h5 % 20000) / 100.0 AS DECIMAL(18, 2)) END`,
  is_bot: `h5 % 50 = 0`,
};

async function generate(dataDir: string, events: number, days: number): Promise<void> {
  const db = await DuckDBInstance.create(':memory:');
  const c = await db.connect();
  const users = Math.max(100, Math.floor(events / 20));
  const expr = (col: { name: string; type: string }) => {
    const g = GENERATED[col.name];
    return `${g ? g.replaceAll('${USERS}', String(users)) : `CAST(NULL AS ${col.type})`} AS ${col.name}`;
  };
  // Writing ~100 all-NULL columns per row dominates the cost, so the data files carry only the
  // generated columns and one empty file carries the full atomic schema: the reader's
  // union_by_name gives every other column as NULL, as the collector's files would.
  const select = atomicColumns.filter((c) => GENERATED[c.name]).map(expr).join(',\n  ');
  const fullSchema = atomicColumns.map(expr).join(',\n  ');
  const perDay = Math.ceil(events / days);
  const first = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), new Date().getUTCDate()) - days * 86400000);
  const firstDay = first.toISOString().slice(0, 10);
  await c.run(`COPY (WITH t AS (SELECT 0 AS i, 0 AS h1, 0 AS h2, 0 AS h3, 0 AS h4, 0 AS h5, TIMESTAMP '${firstDay}' AS ts)
    SELECT ${fullSchema} FROM t LIMIT 0) TO '${join(dataDir, 'events', `dt=${firstDay}`, 'part-schema.parquet')}' (FORMAT parquet, COMPRESSION zstd)`);
  for (let d = 0; d < days; d++) {
    const day = new Date(first.getTime() + d * 86400000).toISOString().slice(0, 10);
    const from = d * perDay;
    await c.run(`COPY (
      WITH t AS (SELECT i, CAST(hash(i * 7) % 1000003 AS BIGINT) AS h1, CAST(hash(i * 11) % 1000003 AS BIGINT) AS h2,
                        CAST(hash(i * 13) % 1000003 AS BIGINT) AS h3, CAST(hash(i * 17) % 1000003 AS BIGINT) AS h4,
                        CAST(hash(i * 19) % 1000003 AS BIGINT) AS h5,
                        TIMESTAMP '${day}' + to_microseconds(CAST(hash(i * 23) % 86400000000 AS BIGINT)) AS ts
                 FROM range(${from}, ${Math.min(events, from + perDay)}) r(i))
      SELECT ${select} FROM t
    ) TO '${join(dataDir, 'events', `dt=${day}`, `part-${day}-bench.parquet`)}' (FORMAT parquet, COMPRESSION zstd)`);
  }
  c.closeSync();
  db.closeSync();
}

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

export async function bench(): Promise<BenchResult[]> {
  const events = Number(process.env.BENCH_PREAGG_EVENTS ?? 1_000_000);
  const days = Number(process.env.BENCH_PREAGG_DAYS ?? 30);
  const dir = mkdtempSync(join(tmpdir(), 'bench-preagg-'));
  const { mkdirSync } = await import('node:fs');
  const firstDay = new Date(Date.now() - days * 86400000);
  for (let d = 0; d <= days; d++) mkdirSync(join(dir, 'events', `dt=${new Date(firstDay.getTime() + d * 86400000).toISOString().slice(0, 10)}`), { recursive: true });
  const out: BenchResult[] = [];
  let t0 = performance.now();
  await generate(dir, events, days);
  const genS = (performance.now() - t0) / 1000;
  out.push({ name: `generate ${events.toLocaleString('en-US')} events (Parquet, zstd)`, value: events / genS, unit: 'events/s' });

  const { model, errors } = await loadModel({ schemaPath: resolve('schema') });
  if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 4, queryTimeoutMs: 600_000, defineEvents: true });
  const store = await DuckDBStore.open(join(dir, 'preaggs.duckdb'));
  const preAggs = new PreAggregations({
    config: { schema: 'prod_pre_aggregations', batchSize: 50_000, dropGraceSeconds: 60, refreshConcurrency: 2, refreshTimezones: ['UTC'] },
    store, getModel: () => model, source: createSourceEngine({ getModel: () => model, driver, dialect: 'duckdb' }),
  });
  try {
    t0 = performance.now();
    const built = await preAggs.refresh({ preAggregations: ['events.by_event', 'events.users_daily'] });
    const buildS = (performance.now() - t0) / 1000;
    out.push({ name: `build events.by_event + users_daily (${built.length} partitions)`, value: (buildS * 1000) / days, unit: 'ms/day of events' });

    const today = new Date().toISOString().slice(0, 10);
    const monthAgo = new Date(Date.now() - days * 86400000).toISOString().slice(0, 10);
    const range = [monthAgo, today];
    const queries = [
      { measures: ['events.count', 'events.page_views'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'day', dateRange: range }] },
      { measures: ['events.count'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: range }] },
      { measures: ['events.users', 'events.sessions'], dimensions: ['events.app_id'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'day', dateRange: range }] },
      { measures: ['events.revenue', 'events.key_events'], dimensions: ['events.app_id'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'week', dateRange: range }] },
    ];
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    let unmatched = 0;
    for (const raw of queries) {
      const q = normalizeQuery(raw, model);
      for (let i = 0; i < 20; i++) {
        const s = performance.now();
        const r = await runQuery(preAggs, model, q, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
        rollupMs.push(performance.now() - s);
        if (i === 0 && !r.usedPreAggregation) unmatched++;
      }
      const plain = compileQuery(model, q, { dialect: 'duckdb' });
      for (let i = 0; i < 3; i++) {
        const s = performance.now();
        await driver.query(plain.sql, plain.params);
        rawMs.push(performance.now() - s);
      }
    }
    out.push({ name: `dashboard query p50, rollup (${queries.length - unmatched}/${queries.length} matched)`, value: pct(rollupMs, 50), unit: 'ms', baseline: { name: 'raw events', value: pct(rawMs, 50) } });
    out.push({ name: 'dashboard query p95, rollup', value: pct(rollupMs, 95), unit: 'ms', baseline: { name: 'raw events', value: pct(rawMs, 95) } });
    out.push({ name: 'raw-scan aggregate p95', value: pct(rawMs, 95), unit: 'ms' });

    t0 = performance.now();
    const sessBuilt = await preAggs.refresh({ preAggregations: ['sessions.by_source'] });
    out.push({ name: `build sessions.by_source (${sessBuilt.length} partitions)`, value: (performance.now() - t0) / days, unit: 'ms/day of events' });
    const kpi = normalizeQuery({
      measures: ['sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.views_per_session', 'sessions.average_engagement_time'],
      timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: range }],
    }, model);
    const kpiRollup: number[] = [];
    const kpiRaw: number[] = [];
    let kpiServed = '';
    for (let i = 0; i < 20; i++) {
      const s = performance.now();
      const r = await runQuery(preAggs, model, kpi, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
      kpiRollup.push(performance.now() - s);
      kpiServed = r.usedPreAggregation ?? 'raw events';
    }
    const kpiPlain = compileQuery(model, kpi, { dialect: 'duckdb' });
    for (let i = 0; i < 3; i++) {
      const s = performance.now();
      await driver.query(kpiPlain.sql, kpiPlain.params);
      kpiRaw.push(performance.now() - s);
    }
    out.push({ name: `KPI rates by day p50 (served by ${kpiServed})`, value: pct(kpiRollup, 50), unit: 'ms', baseline: { name: 'raw events', value: pct(kpiRaw, 50) } });
  } finally {
    await preAggs.close();
    await store.close();
    await driver.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
