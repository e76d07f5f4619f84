// Funnel and overview benchmarks on the shared demo-shaped data set (bench/_dataset.ts): a
// 3-step funnel over 90 days, and the dashboard's overview queries through the semantic layer
// (model → compileQuery → DuckDB over Parquet, no pre-aggregations), at 10M events by default.
// Sizes: WEBCUBE_BENCH_FUNNEL_EVENTS=10000000,100000000. Progress on stderr.
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createFunnelRoutes } from '../server/src/funnels/funnel-routes.ts';
import { loadModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { benchDataset, DATASET_DAYS, lastDays, progress, sizeLabel } from './_dataset.ts';
import type { BenchResult } from './run.ts';

const RANGE = lastDays(DATASET_DAYS);
const LAST30 = lastDays(30);

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Best of `runs` after one warm-up run (the engine's file metadata and OS cache warm). */
async function best(what: string, fn: () => Promise<unknown>, runs = 1): Promise<number> {
  const times = [await timed(fn)];
  for (let i = 0; i < runs; i++) times.push(await timed(fn));
  progress(`${what}: ${times.map(Math.round).join(', ')} ms (first is the warm-up)`);
  return Math.min(...times.slice(1));
}

export async function bench(): Promise<BenchResult[]> {
  const sizes = (process.env.WEBCUBE_BENCH_FUNNEL_EVENTS ?? '10000000').split(',').map(Number).filter((n) => n > 0);
  const { model, errors } = await loadModel({ schemaPath: new URL('../schema', import.meta.url).pathname });
  if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const label = sizeLabel(size);
    const dir = await benchDataset(size);
    const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 600_000, defineEvents: true });
    const routes = createFunnelRoutes({ concurrency: 1 });
    try {
      const ctx = { driver, dialect: 'duckdb', securityContext: {} };
      const funnel = async () => {
        const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], window: '1 hour', dateRange: RANGE }, ctx);
        await routes.idle();
        const r = await routes.get({ id: job.id }, ctx);
        if (r.status !== 'done') throw new Error(r.error ?? 'funnel failed');
      };
      const scan = () => driver.query(`SELECT count(*) AS n FROM atomic.events WHERE event_name IN ('page_view', 'add_to_cart', 'purchase') AND derived_tstamp >= CAST($1 AS TIMESTAMP)`, [`${RANGE[0]} 00:00:00`]);
      const scanMs = await best(`plain scan, ${label}`, scan);
      results.push({ name: `funnel: 3 steps, 90 days, ${label} events`, value: await best(`funnel, ${label}`, funnel), unit: 'ms', baseline: { name: 'plain scan of the step events', value: scanMs } });
      results.push({ name: `funnel: same, broken down by device, ${label}`, value: await best(`funnel by device, ${label}`, async () => {
        const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], window: '1 hour', dateRange: RANGE, breakdown: 'device_type' }, ctx);
        await routes.idle();
        if ((await routes.get({ id: job.id }, ctx)).status !== 'done') throw new Error('funnel failed');
      }), unit: 'ms', baseline: { name: 'plain scan of the step events', value: scanMs } });

      const overview: [string, Record<string, unknown>][] = [
        ['overview KPIs (sessions cube, 30 days)', { measures: ['sessions.users', 'sessions.new_users', 'sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.average_engagement_time'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: LAST30 }] }],
        ['sessions by day (30 days)', { measures: ['sessions.count', 'sessions.users'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: LAST30 }] }],
        ['top pages (page_views cube, 30 days)', { measures: ['page_views.count', 'page_views.users'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: LAST30 }], order: { 'page_views.count': 'desc' }, limit: 10 }],
        ['events by name (events cube, 30 days)', { measures: ['events.count', 'events.users'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: LAST30 }] }],
      ];
      const raw = await best(`raw count + distinct sessions, ${label}`, () => driver.query(`SELECT count(*) AS n, count(DISTINCT domain_sessionid) AS s FROM atomic.events WHERE derived_tstamp >= CAST($1 AS TIMESTAMP)`, [`${LAST30[0]} 00:00:00`]));
      for (const [name, query] of overview) {
        const c = compileQuery(model, normalizeQuery(query, model), { dialect: 'duckdb' });
        results.push({ name: `${name}, ${label}`, value: await best(`${name}, ${label}`, () => driver.query(c.sql, c.params)), unit: 'ms', baseline: { name: 'raw count + distinct sessions, 30 days', value: raw } });
      }
    } finally {
      routes.close();
      await driver.close();
    }
  }
  return results;
}
