// Dashboard budgets: initial JS+CSS (gzip) of the production build, and the Overview fully
// rendered in Chromium on 30 days of demo data. With pre-aggregations built, this tree (server
// and dashboard) runs beside the whole stack of the baseline commit (server, model and dashboard
// from git) in the same run, on the same Parquet, each with its own pre-aggregation store, and
// each in two settings:
//  - computed: no result cache (WEBCUBE_CACHE_MAX_ENTRIES=0), every answer computed from the
//    rollups, as for the first visitor after a build;
//  - cached: the default query cache, as for a later visitor before the next build.
// Visits alternate between the four pages so all see the same machine load; each page's median
// waterfall (document, scripts, each /load with its Server-Timing, rendered) goes to stderr.
import { copyFileSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './run.ts';
import { initialAssets } from '../dashboard-app/src/model/asset-size.ts';
import { loadServerConfig, openPage, ROOT, startHarness, startServer, type Harness } from '../tests/dashboard-harness.ts';
import { runDemo } from '@webcube/collector';
import { progress } from './_dataset.ts';
import { printWaterfall, readWaterfall, type Waterfall } from './_waterfall.ts';

const DAYS = 30;

/** 30 days of the demo's realistic traffic, written through the collector's import path. */
async function demoSeed(dir: string) {
  const r = await runDemo({ dataDir: dir, days: DAYS, live: false, sites: ['demo-site'] });
  return { events: r.historyEvents, sessions: r.historySessions, days: DAYS };
}

const INITIAL_BUDGET_KB = 300;
const OVERVIEW_BUDGET_MS = 2000;
const RUNS = Number(process.env.BENCH_DASHBOARD_RUNS ?? 5);

async function gzipKb(dist: string, files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(join(dist, f.replace(/^\//, '')))).length;
  return bytes / 1024;
}

/** The commit whose whole stack is the baseline: the Overview before issue #16 (ten requests,
 *  current and previous period apart); BENCH_DASHBOARD_BASELINE=<commit> compares with another. */
const BASELINE_REF = process.env.BENCH_DASHBOARD_BASELINE ?? '8b9dd37a1ac11624ebe52be7727112b87499fadd';

type ServerModule = Pick<typeof import('@webcube/server'), 'startServer' | 'loadServerConfig'>;
type Stack = { name: string; mod: ServerModule; schemaDir: string; dist: string };

/** Server, model and dashboard of `ref`, unpacked into `<dir>/baseline-src`; null (reason on stderr) when git or the build fails. */
async function baselineStack(dir: string): Promise<Stack | null> {
  const src = join(dir, 'baseline-src');
  mkdirSync(src, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git archive ${BASELINE_REF} server collector schema dashboard-app package.json tsconfig.base.json | tar -x -C '${src}'`], { cwd: ROOT, encoding: 'utf8' });
  if (archive.status !== 0) { progress(`no baseline (${archive.stderr.trim()})`); return null; }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  for (const ws of ['server', 'dashboard-app']) {
    if (existsSync(join(ROOT, ws, 'node_modules'))) symlinkSync(join(ROOT, ws, 'node_modules'), join(src, ws, 'node_modules'));
  }
  const dist = join(dir, 'dist-baseline');
  const r = spawnSync('npx', ['vite', 'build', '--outDir', dist, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(src, 'dashboard-app'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) { progress(`baseline build failed: ${r.stderr.slice(0, 500)}`); return null; }
  const mod = await import(join(src, 'server', 'src', 'index.ts')) as ServerModule;
  return { name: `${BASELINE_REF.slice(0, 7)}`, mod, schemaDir: join(src, 'schema'), dist };
}

const RENDERED = () => document.querySelectorAll('[data-testid^="kpi-"][data-value]').length >= 7
  && document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
  && document.querySelectorAll('[data-testid="top-pages-table"] tbody tr').length > 0;

type Visit = Readonly<{ ms: number; requests: number; waterfall: Waterfall }>;

/** A warmed page on one server: the first visit stores the token and warms the model. */
async function overviewPage(h: Harness, url: string) {
  const { page, context } = await openPage(h);
  await page.goto(`${url}/?token=${h.token}&range=28d`);
  await page.getByTestId('kpi-sessions').waitFor({ timeout: 120_000 });
  await page.waitForFunction(RENDERED, undefined, { timeout: 120_000 });
  let loads = 0;
  page.on('request', (r) => { if (r.url().includes('/cubejs-api/v1/load')) loads += 1; });
  return {
    context,
    /** Time from navigation to a fully rendered Overview, how many /load requests it took, and its waterfall. */
    visit: async (i: number): Promise<Visit> => {
      loads = 0;
      const start = Date.now();
      await page.goto(`${url}/?range=28d&_=${i}`);
      const rendered = await page.waitForFunction(RENDERED_AT, undefined, { timeout: 120_000, polling: 'raf' });
      const ms = Date.now() - start;
      return { ms, requests: loads, waterfall: await readWaterfall(page, Number(await rendered.jsonValue())) };
    },
  };
}

/** RENDERED, answering the page's own clock (ms since navigation) when true. */
const RENDERED_AT = `(${RENDERED.toString()})() ? performance.now() : false`;

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median visit per url over `runs` rounds, alternating between them so all see the same machine load. */
async function overviewVisits(h: Harness, urls: readonly string[], runs: number): Promise<Visit[][]> {
  const pages = [];
  for (const url of urls) pages.push(await overviewPage(h, url));
  try {
    const visits: Visit[][] = urls.map(() => []);
    for (let i = 0; i < runs; i++) for (const [k, p] of pages.entries()) visits[k]!.push(await p.visit(i));
    return visits;
  } finally {
    for (const p of pages) await p.context.close();
  }
}

const summary = (v: readonly Visit[]) => ({ ms: median(v.map((x) => x.ms)), requests: median(v.map((x) => x.requests)) });

/** Every pre-aggregation built through Cube's jobs API on `url`; throws when the server cannot. */
async function buildRollups(h: Harness, url: string): Promise<void> {
  const call = async (body: unknown) => {
    const r = await fetch(`${url}/cubejs-api/v1/pre-aggregations/jobs`, {
      method: 'POST', headers: { Authorization: h.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`jobs API: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const tokens = await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } }) as string[];
  for (;;) {
    const statuses = (await call({ action: 'get', tokens }) as { status: string }[]).map((s) => s.status);
    const failed = statuses.find((s) => s.startsWith('failure'));
    if (failed) throw new Error(`pre-aggregation build ${failed}`);
    if (statuses.every((s) => s === 'done')) return;
    await new Promise((r) => setTimeout(r, 500));
  }
}

type Running = { url: string; close(): Promise<void> };

/** A stack's two servers over one build: the store is built once, then copied for the cached server. */
async function stackServers(h: Harness, stack: Stack): Promise<{ computed: Running; cached: Running }> {
  const store = (mode: string) => join(h.dir, `store-${stack.name}-${mode}`, 'preaggs.duckdb');
  const env = (mode: 'computed' | 'cached') => ({
    ...h.env, CUBEJS_SCHEMA_PATH: stack.schemaDir, WEBCUBE_DASHBOARD_DIR: stack.dist,
    CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs',
    CUBEJS_PRE_AGGREGATIONS_SCHEMA: `bench_${stack.name.replace(/\W/g, '_')}_pre_aggregations`,
    WEBCUBE_PREAGG_DUCKDB_PATH: store(mode),
    ...(mode === 'computed' ? { WEBCUBE_CACHE_MAX_ENTRIES: '0' } : { CUBEJS_CACHE_TTL: '10' }),
  });
  for (const mode of ['computed', 'cached']) mkdirSync(join(h.dir, `store-${stack.name}-${mode}`), { recursive: true });
  const start = (mode: 'computed' | 'cached') => stack.mod.startServer(stack.mod.loadServerConfig(env(mode)), { options: {} });
  const builder = await start('computed');
  const t = Date.now();
  try {
    await buildRollups(h, builder.url);
  } finally {
    await builder.close();
  }
  progress(`${stack.name}: pre-aggregations built in ${Date.now() - t} ms`);
  // Closed, so the store file is complete; the original_sql Parquet files are shared read-only.
  copyFileSync(store('computed'), store('cached'));
  if (existsSync(`${store('computed')}.wal`)) copyFileSync(`${store('computed')}.wal`, `${store('cached')}.wal`);
  return { computed: await start('computed'), cached: await start('cached') };
}

export async function bench(): Promise<BenchResult[]> {
  const h = await startHarness({ seed: demoSeed });
  const running: Running[] = [];
  try {
    const dist = join(h.dir, 'dist');
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    const initialKb = await gzipKb(dist, initialAssets(html));
    const [raw] = await overviewVisits(h, [h.server.url], 3);
    const size = `${h.seed.days} days (${h.seed.events} events)`;
    const out: BenchResult[] = [
      { name: 'dashboard initial JS+CSS, gzip', value: initialKb, unit: 'KB', baseline: { name: 'budget', value: INITIAL_BUDGET_KB } },
      { name: `Overview fully rendered, ${size}, raw scans`, value: summary(raw!).ms, unit: 'ms', baseline: { name: 'budget', value: OVERVIEW_BUDGET_MS } },
    ];

    const stacks: Stack[] = [{ name: 'this-tree', mod: { startServer, loadServerConfig }, schemaDir: join(ROOT, 'schema'), dist }];
    const base = await baselineStack(h.dir);
    if (base) stacks.push(base);
    const servers: { stack: Stack; computed: Running; cached: Running }[] = [];
    for (const stack of stacks) {
      const pair = await stackServers(h, stack);
      running.push(pair.computed, pair.cached);
      servers.push({ stack, ...pair });
    }
    const urls = servers.flatMap((x) => [x.computed.url, x.cached.url]);
    const visits = await overviewVisits(h, urls, RUNS);
    for (const [k, x] of servers.entries()) {
      printWaterfall(`${x.stack.name}, computed`, visits[2 * k]!.map((v) => v.waterfall));
      printWaterfall(`${x.stack.name}, cached`, visits[2 * k + 1]!.map((v) => v.waterfall));
    }
    const [cur, baseline] = [0, 1].map((k) => (servers[k] ? { computed: summary(visits[2 * k]!), cached: summary(visits[2 * k + 1]!) } : undefined));
    const vs = (what: 'computed' | 'cached') => (baseline ? { name: `${BASELINE_REF.slice(0, 7)} (server and page), ${what}`, value: baseline[what].ms } : undefined);
    out.push(
      { name: `Overview fully rendered, ${size}, rollups built, computed (first visit after a build)`, value: cur!.computed.ms, unit: 'ms', ...(baseline ? { baseline: vs('computed')! } : {}) },
      { name: `Overview fully rendered, ${size}, rollups built, cached (later visits)`, value: cur!.cached.ms, unit: 'ms', ...(baseline ? { baseline: vs('cached')! } : {}) },
      { name: 'Overview /load requests, rollups built', value: cur!.computed.requests, unit: 'requests', ...(baseline ? { baseline: { name: `at ${BASELINE_REF.slice(0, 7)}`, value: baseline.computed.requests } } : {}) },
    );
    return out;
  } finally {
    for (const r of running) await r.close().catch(() => undefined);
    await h.close();
  }
}
