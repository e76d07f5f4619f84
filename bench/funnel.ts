// Funnel and overview benchmarks on generated demo traffic (collector/src/demo/bulk-events.ts):
// a 3-step funnel over 90 days, and the dashboard's overview queries through the semantic layer
// (model → compileQuery → DuckDB over Parquet, no pre-aggregations), at 10M events by default.
// Sizes: WEBCUBE_BENCH_FUNNEL_EVENTS=10000000,100000000. Data is generated once per size into
// WEBCUBE_BENCH_DIR (default <tmp>/webcube-bench) and reused by later runs.
import { access, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateBulkEvents } from '../collector/src/demo/bulk-events.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createFunnelRoutes } from '../server/src/funnels/funnel-routes.ts';
import { loadModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/query/compile-query.ts';
import type { BenchResult } from './run.ts';

const DAY = 86_400_000;
const END = Date.UTC(2026, 9, 31);
const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const RANGE: [string, string] = [day(END - 89 * DAY), day(END)];
const LAST30: [string, string] = [day(END - 29 * DAY), day(END)];

async function dataFor(events: number): Promise<string> {
  const dir = join(process.env.WEBCUBE_BENCH_DIR ?? join(tmpdir(), 'webcube-bench'), `funnel-${events}`);
  const marker = join(dir, '.complete');
  try { await access(marker); return dir; } catch { /* generate */ }
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const t = Date.now();
  await generateBulkEvents({ dataDir: dir, events, days: 90, endMs: END, onDay: (d, i, n) => { if (i % 10 === 0) process.stderr.write(`  generating ${events} events: day ${i}/${n} (${d})\n`); } });
  process.stderr.write(`  generated in ${((Date.now() - t) / 1000).toFixed(0)} s\n`);
  await writeFile(marker, new Date().toISOString());
  return dir;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t = performance.now();
  await fn();
  return performance.now() - t;
}

/** Best of `runs` after one warm-up run (the engine's file metadata and OS cache warm). */
async function best(fn: () => Promise<unknown>, runs = 2): Promise<number> {
  await fn();
  let min = Infinity;
  for (let i = 0; i < runs; i++) min = Math.min(min, await timed(fn));
  return min;
}

export async function bench(): Promise<BenchResult[]> {
  const sizes = (process.env.WEBCUBE_BENCH_FUNNEL_EVENTS ?? '10000000').split(',').map(Number).filter((n) => n > 0);
  const { model, errors } = await loadModel({ schemaPath: new URL('../schema', import.meta.url).pathname });
  if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
  const results: BenchResult[] = [];
  for (const size of sizes) {
    const label = size >= 1e6 ? `${size / 1e6}M` : String(size);
    const dir = await dataFor(size);
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
      const scanMs = await best(scan);
      results.push({ name: `funnel: 3 steps, 90 days, ${label} events`, value: await best(funnel), unit: 'ms', baseline: { name: 'plain scan of the step events', value: scanMs } });
      results.push({ name: `funnel: same, broken down by device, ${label}`, value: await best(async () => {
        const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], window: '1 hour', dateRange: RANGE, breakdown: 'device_type' }, ctx);
        await routes.idle();
        if ((await routes.get({ id: job.id }, ctx)).status !== 'done') throw new Error('funnel failed');
      }, 1), unit: 'ms', baseline: { name: 'plain scan of the step events', value: scanMs } });

      const overview: [string, Record<string, unknown>][] = [
        ['overview KPIs (sessions cube, 30 days)', { measures: ['sessions.users', 'sessions.new_users', 'sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.average_engagement_time'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: LAST30 }] }],
        ['sessions by day (30 days)', { measures: ['sessions.count', 'sessions.users'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: LAST30 }] }],
        ['top pages (page_views cube, 30 days)', { measures: ['page_views.count', 'page_views.users'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: LAST30 }], order: { 'page_views.count': 'desc' }, limit: 10 }],
        ['events by name (events cube, 30 days)', { measures: ['events.count', 'events.users'], dimensions: ['events.event_name'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: LAST30 }] }],
      ];
      const raw = await best(() => driver.query(`SELECT count(*) AS n, count(DISTINCT domain_sessionid) AS s FROM atomic.events WHERE derived_tstamp >= CAST($1 AS TIMESTAMP)`, [`${LAST30[0]} 00:00:00`]), 1);
      for (const [name, query] of overview) {
        const c = compileQuery(model, normalizeQuery(query, model), { dialect: 'duckdb' });
        results.push({ name: `${name}, ${label}`, value: await best(() => driver.query(c.sql, c.params), 1), unit: 'ms', baseline: { name: 'raw count + distinct sessions, 30 days', value: raw } });
      }
    } finally {
      routes.close();
      await driver.close();
    }
  }
  return results;
}
