// Pre-aggregation benchmark on the shared demo-shaped data set (bench/_dataset.ts, 90 days):
// builds the real schema/'s dashboard rollups for the last 30 days with the embedded DuckDB
// source into the DuckDB store (build ms per day of events), then times dashboard queries served
// by the rollups beside the same queries on the raw events, in the same run.
// Sizes: BENCH_PREAGG_EVENTS (default 1,000,000; comma list allowed; the targets are stated for
// 100,000,000). BENCH_PREAGG_RAW_RUNS timed raw runs per query (default 3, 2 from
// 50M events). Progress on stderr.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import type { CompiledModel } from '../server/src/model/types.ts';
import { loadModel } from '../server/src/model/load-model.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { duckdbParquetTables } from '../server/src/preagg/source-tables.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import { benchDataset, lastDays, progress, sizeLabel } from './_dataset.ts';
import type { BenchResult } from './run.ts';

const BUILD_DAYS = 30;
const ROLLUP_RUNS = 20;

const pct = (xs: readonly number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};

/** The dashboard's queries over the built range: overview, acquisition and events pages. */
function dashboardQueries(range: [string, string]): [string, Record<string, unknown>][] {
  const td = (dimension: string, granularity?: string) => [{ dimension, ...(granularity ? { granularity } : {}), dateRange: range }];
  return [
    ['events + page views by day', { measures: ['events.count', 'events.page_views'], segments: ['events.humans'], timeDimensions: td('events.timestamp', 'day') }],
    ['events by name', { measures: ['events.count'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: td('events.timestamp') }],
    ['users + sessions by site, day', { measures: ['events.users', 'events.sessions'], dimensions: ['events.app_id'], segments: ['events.humans'], timeDimensions: td('events.timestamp', 'day') }],
    ['revenue + key events by site, week', { measures: ['events.revenue', 'events.key_events'], dimensions: ['events.app_id'], segments: ['events.humans'], timeDimensions: td('events.timestamp', 'week') }],
    ['KPI rates by day (sessions)', { measures: ['sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.views_per_session', 'sessions.average_engagement_time'], timeDimensions: td('sessions.start_time', 'day') }],
    ['sessions by channel (acquisition)', { measures: ['sessions.count', 'sessions.engaged_sessions'], dimensions: ['sessions.channel'], timeDimensions: td('sessions.start_time') }],
    // Distinct users over the whole range: no rollup can add them up; the sessions table (original_sql) answers.
    ['KPI row with users (sessions)', { measures: ['sessions.users', 'sessions.count', 'sessions.bounce_rate'], timeDimensions: td('sessions.start_time') }],
  ];
}

async function benchSize(model: CompiledModel, events: number): Promise<BenchResult[]> {
  const label = sizeLabel(events);
  const dataDir = await benchDataset(events);
  const storeDir = mkdtempSync(join(tmpdir(), 'bench-preagg-store-'));
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 1_800_000, defineEvents: true });
  const store = await DuckDBStore.open(join(storeDir, 'preaggs.duckdb'));
  let sourceQueries = 0;
  let slowestSourceMs = 0;
  const source = {
    async query(sql: string, params: readonly unknown[], opts?: { signal?: AbortSignal }) {
      const t = performance.now();
      const rows = await driver.query(sql, params, opts);
      const ms = performance.now() - t;
      slowestSourceMs = Math.max(slowestSourceMs, ms);
      progress(`${label}: source query ${++sourceQueries} (${rows.length} rows) in ${Math.round(ms)} ms`);
      return rows;
    },
  };
  const preAggs = new PreAggregations({
    config: { schema: 'prod_pre_aggregations', batchSize: 50_000, dropGraceSeconds: 60, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
    store, getModel: () => model, source: createSourceEngine({ getModel: () => model, driver: source, dialect: 'duckdb' }),
    log: (m) => progress(m),
    // original_sql tables (one row per session) as Parquet beside the store, as the server keeps them.
    sourceTables: duckdbParquetTables(source, join(storeDir, 'pre_aggregations')),
  });
  const out: BenchResult[] = [];
  const range = lastDays(BUILD_DAYS);
  try {
    for (const path of ['events.by_event', 'events.users_daily', 'sessions.sessions_table', 'sessions.by_source']) {
      progress(`${label}: building ${path} for ${range.join('..')}`);
      const t = performance.now();
      slowestSourceMs = 0;
      const built = await preAggs.refresh({ preAggregations: [path], dateRange: range });
      const ms = performance.now() - t;
      out.push({ name: `build ${path} (${built.length} partitions), ${label}`, value: ms / BUILD_DAYS, unit: 'ms/day of events' });
      // Without build_range SQL the range is a grouped scan of all events (cached for 5 minutes).
      out.push({ name: `  slowest source query of that build, ${label}`, value: slowestSourceMs, unit: 'ms' });
    }
    // Raw scans of 100M events take minutes: fewer repetitions keep the run bounded.
    const rawRuns = Number(process.env.BENCH_PREAGG_RAW_RUNS ?? (events >= 50_000_000 ? 2 : 3));
    const rollupMs: number[] = [];
    const rawMs: number[] = [];
    for (const [name, raw] of dashboardQueries(range)) {
      const q = normalizeQuery(raw, model);
      const served = new Set<string>();
      const mine: number[] = [];
      for (let i = 0; i < ROLLUP_RUNS; i++) {
        const s = performance.now();
        const r = await runQuery(preAggs, model, q, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
        mine.push(performance.now() - s);
        served.add(r.usedPreAggregation ?? 'raw events');
      }
      const plain = compileQuery(model, q, { dialect: 'duckdb' });
      const raws: number[] = [];
      for (let i = 0; i < rawRuns; i++) {
        const s = performance.now();
        await driver.query(plain.sql, plain.params);
        raws.push(performance.now() - s);
      }
      progress(`${label}: ${name}: served by ${[...served].join(', ')} p50 ${pct(mine, 50).toFixed(1)} ms; raw ${raws.map(Math.round).join(', ')} ms`);
      // The summary is of rollups; a query an original_sql table answers is reported on its own line.
      if ([...served].every((n) => model.preAggregations.get(n)?.type === 'rollup')) {
        rollupMs.push(...mine);
        rawMs.push(...raws);
      }
      out.push({ name: `${name} p50 (${[...served].join(', ')}), ${label}`, value: pct(mine, 50), unit: 'ms', baseline: { name: 'raw events', value: pct(raws, 50) } });
    }
    out.push({ name: `dashboard queries p50 via rollups, ${label}`, value: pct(rollupMs, 50), unit: 'ms', baseline: { name: 'raw events', value: pct(rawMs, 50) } });
    out.push({ name: `dashboard queries p95 via rollups, ${label}`, value: pct(rollupMs, 95), unit: 'ms', baseline: { name: 'raw events', value: pct(rawMs, 95) } });
    out.push({ name: `raw-scan dashboard query p95 (same queries), ${label}`, value: pct(rawMs, 95), unit: 'ms' });
  } finally {
    await preAggs.close();
    await store.close();
    await driver.close();
    rmSync(storeDir, { recursive: true, force: true });
  }
  return out;
}

export async function bench(): Promise<BenchResult[]> {
  const sizes = (process.env.BENCH_PREAGG_EVENTS ?? '1000000').split(',').map(Number).filter((n) => n > 0);
  const { model, errors } = await loadModel({ schemaPath: resolve('schema') });
  if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
  const out: BenchResult[] = [];
  for (const size of sizes) out.push(...await benchSize(model, size));
  return out;
}
