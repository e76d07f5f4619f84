// The same work on DuckDB, PrestoDB and Trino over the same Parquet files (bench/_dataset.ts,
// 10M events by default): raw aggregates of the dashboard compiled from the shipped schema/, the
// build query of one day of a dashboard rollup, and a 3-step funnel over 90 days; each figure
// with DuckDB's as the baseline, plus each JVM's resident memory. Single-node JVM engines on 2
// cores have no speed target: the point is to know the figures. Engines are started with
// `webcube stack`'s code in <bench dir>/stack and stopped at the end.
// Sizes: WEBCUBE_BENCH_ENGINE_EVENTS (default 10000000). Progress on stderr.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { engines, type EngineName } from '../bin/stack/engine-spec.ts';
import { startEngine, stopEngine, type RunningEngine } from '../bin/stack/engine-process.ts';
import { registerEvents } from '../bin/stack/register-events.ts';
import { createDriver } from '../server/src/drivers/create-driver.ts';
import { loadDriverConfig } from '../server/src/drivers/driver-config.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { createFunnelRoutes } from '../server/src/funnels/funnel-routes.ts';
import { loadModel } from '../server/src/model/index.ts';
import { rollupQuery } from '../server/src/preagg/build-partition.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { benchDataset, bestOfTwoWarm as best, DATASET_END_MS, isoDay, lastDays, progress, sizeLabel } from './_dataset.ts';
import type { BenchResult } from './run.ts';

const RANGE90 = lastDays(90);
const LAST30 = lastDays(30);
const ONE_DAY = isoDay(DATASET_END_MS - 86_400_000);
const SCHEMA = 'bench';

interface Source { readonly name: 'duckdb' | EngineName; readonly driver: Driver; readonly eventsTable: string; readonly jvm?: RunningEngine }


const rssMb = (pid: number) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const QUERIES: [string, Record<string, unknown>][] = [
  ['overview KPIs (sessions, 30 days)', { measures: ['sessions.users', 'sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: LAST30 }] }],
  ['events + page views by day (30 days)', { measures: ['events.count', 'events.page_views'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'day', dateRange: LAST30 }] }],
  ['top pages (30 days)', { measures: ['page_views.count', 'page_views.users'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: LAST30 }], order: { 'page_views.count': 'desc' }, limit: 10 }],
];

async function openSources(dir: string): Promise<Source[]> {
  const sources: Source[] = [{
    name: 'duckdb', eventsTable: 'atomic.events',
    driver: await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 1_800_000, defineEvents: true }),
  }];
  const root = join(process.env.WEBCUBE_BENCH_DIR ?? join(tmpdir(), 'webcube-bench'), 'stack');
  for (const name of ['presto', 'trino'] as const) {
    progress(`starting ${name}…`);
    const jvm = await startEngine(engines[name], { cacheDir: join(process.env.HOME ?? tmpdir(), '.cache', 'webcube'), stateRoot: root, heap: '3G', env: process.env });
    const eventsTable = await registerEvents(engines[name], { engine: name, port: jvm.port }, dir, SCHEMA);
    const config = loadDriverConfig({ CUBEJS_DB_TYPE: engines[name].cubeDbType, CUBEJS_DB_HOST: '127.0.0.1', CUBEJS_DB_PORT: String(jvm.port), CUBEJS_DB_PRESTO_CATALOG: 'hive', CUBEJS_DB_SCHEMA: SCHEMA, CUBEJS_DB_USER: 'webcube', CUBEJS_DB_QUERY_TIMEOUT: '30m' });
    sources.push({ name, eventsTable, jvm, driver: await createDriver(config.type, config) });
  }
  return sources;
}

export async function bench(): Promise<BenchResult[]> {
  const size = Number(process.env.WEBCUBE_BENCH_ENGINE_EVENTS ?? 10_000_000);
  const label = sizeLabel(size);
  const dir = await benchDataset(size);
  const sources = await openSources(dir);
  const results: BenchResult[] = [];
  try {
    const baseline = new Map<string, number>();
    const record = (source: Source, what: string, ms: number) => {
      if (source.name === 'duckdb') baseline.set(what, ms);
      results.push({ name: `${what} on ${source.name}, ${label}`, value: ms, unit: 'ms', ...(source.name === 'duckdb' ? {} : { baseline: { name: 'DuckDB', value: baseline.get(what)! } }) });
    };
    for (const source of sources) {
      const dialect = source.driver.dialect;
      const { model, errors } = await loadModel({ schemaPath: new URL('../schema', import.meta.url).pathname, eventsTable: source.eventsTable });
      if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
      for (const [what, query] of QUERIES) {
        const c = compileQuery(model, normalizeQuery(query, model), { dialect });
        record(source, what, await best(`${what}, ${source.name}`, () => source.driver.query(c.sql, c.params)));
      }
      const pa = [...(model.cubes.get('events')?.preAggregations.values() ?? [])].find((p) => p.type === 'rollup' && p.timeDimensions.length > 0);
      if (pa) {
        const build = rollupQuery(model, pa, 'UTC', { start: `${ONE_DAY}T00:00:00.000`, end: `${ONE_DAY}T23:59:59.999` });
        const c = compileQuery(model, normalizeQuery(build as never, model), { dialect });
        record(source, `rollup build query, one day (events.${pa.name})`, await best(`rollup ${pa.name}, ${source.name}`, () => source.driver.query(c.sql, c.params)));
      }
      const routes = createFunnelRoutes({ concurrency: 1 });
      try {
        const ctx = { driver: source.driver, dialect, securityContext: {}, eventsTable: source.eventsTable };
        record(source, 'funnel: 3 steps, 90 days', await best(`funnel, ${source.name}`, async () => {
          const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], window: '1 hour', dateRange: RANGE90 }, ctx);
          await routes.idle();
          const r = await routes.get({ id: job.id }, ctx);
          if (r.status !== 'done') throw new Error(r.error ?? 'funnel failed');
        }));
      } finally {
        routes.close();
      }
      if (source.jvm) results.push({ name: `${source.name} resident memory after the run`, value: rssMb(source.jvm.pid), unit: 'MB' });
    }
  } finally {
    for (const source of sources) {
      await source.driver.close();
      if (source.jvm) await stopEngine(source.jvm.stateDir);
    }
  }
  return results;
}
