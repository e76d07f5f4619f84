// Dashboard budgets: initial JS+CSS (gzip) of the production build, and the Overview fully rendered on 30 days of
// data; with pre-aggregations built, beside the same page built from the baseline commit, in the same run.
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './run.ts';
import { initialAssets } from '../dashboard-app/src/model/asset-size.ts';
import { loadServerConfig, openPage, ROOT, startHarness, startServer, type Harness } from '../tests/dashboard-harness.ts';
import { runDemo } from '@webcube/collector';

const DAYS = 30;

/** 30 days of the demo's realistic traffic, written through the collector's import path. */
async function demoSeed(dir: string) {
  const r = await runDemo({ dataDir: dir, days: DAYS, live: false, sites: ['demo-site'] });
  return { events: r.historyEvents, sessions: r.historySessions, days: DAYS };
}

const INITIAL_BUDGET_KB = 300;
const OVERVIEW_BUDGET_MS = 2000;
/** ARCHITECTURE.md: the Overview fully rendered with pre-aggregations built, under 300 ms. */
const OVERVIEW_TARGET_MS = 300;

async function gzipKb(dist: string, files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(join(dist, f.replace(/^\//, '')))).length;
  return bytes / 1024;
}

/** The commit whose dashboard is the baseline: the Overview as it was before issue #16
 *  (ten requests, current and previous period apart); BENCH_DASHBOARD_BASELINE=<commit> compares
 *  with another. Built from git into a folder of its own. */
const BASELINE_REF = process.env.BENCH_DASHBOARD_BASELINE ?? '8b9dd37a1ac11624ebe52be7727112b87499fadd';

/** Builds the dashboard of `ref` into `<dir>/dist-baseline`; null (with the reason on stderr) when git cannot. */
function buildBaseline(dir: string): string | null {
  const src = join(dir, 'baseline-src');
  mkdirSync(src, { recursive: true });
  const archive = spawnSync('sh', ['-c', `git archive ${BASELINE_REF} dashboard-app tsconfig.base.json | tar -x -C '${src}'`], { cwd: ROOT, encoding: 'utf8' });
  if (archive.status !== 0) { process.stderr.write(`  no baseline dashboard (${archive.stderr.trim()})\n`); return null; }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  if (existsSync(join(ROOT, 'dashboard-app', 'node_modules'))) symlinkSync(join(ROOT, 'dashboard-app', 'node_modules'), join(src, 'dashboard-app', 'node_modules'));
  const out = join(dir, 'dist-baseline');
  const r = spawnSync('npx', ['vite', 'build', '--outDir', out, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(src, 'dashboard-app'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) { process.stderr.write(`  baseline build failed: ${r.stderr.slice(0, 500)}\n`); return null; }
  return out;
}

const RENDERED = () => document.querySelectorAll('[data-testid^="kpi-"][data-value]').length >= 7
  && document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
  && document.querySelectorAll('[data-testid="top-pages-table"] tbody tr').length > 0;

type Visit = Readonly<{ ms: number; requests: number }>;

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
    /** Time from navigation to a fully rendered Overview, and how many /load requests it took. */
    visit: async (i: number): Promise<Visit> => {
      loads = 0;
      const start = Date.now();
      await page.goto(`${url}/?range=28d&_=${i}`);
      await page.waitForFunction(RENDERED, undefined, { timeout: 120_000 });
      return { ms: Date.now() - start, requests: loads };
    },
  };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median of `runs` visits per dist, alternating between them so both see the same machine load. */
async function overviewMs(h: Harness, urls: readonly string[], runs = 5): Promise<Visit[]> {
  const pages = [];
  for (const url of urls) pages.push(await overviewPage(h, url));
  try {
    const visits: Visit[][] = urls.map(() => []);
    for (let i = 0; i < runs; i++) for (const [k, p] of pages.entries()) visits[k]!.push(await p.visit(i));
    return visits.map((v) => ({ ms: median(v.map((x) => x.ms)), requests: median(v.map((x) => x.requests)) }));
  } finally {
    for (const p of pages) await p.context.close();
  }
}

/** Every pre-aggregation built through Cube's jobs API on `server`; false if the server cannot. */
async function buildRollups(h: Harness, url: string): Promise<boolean> {
  const call = (body: unknown) => fetch(`${url}/cubejs-api/v1/pre-aggregations/jobs`, {
    method: 'POST', headers: { Authorization: h.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  const posted = await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } });
  if (!posted.ok) return false;
  const tokens = await posted.json() as string[];
  for (let i = 0; i < 1200; i++) {
    const statuses = await (await call({ action: 'get', tokens })).json() as { status: string }[];
    if (statuses.some((s) => s.status.startsWith('failure'))) return false;
    if (statuses.every((s) => s.status === 'done')) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/** The Overview with rollups built, this build beside the baseline's (when it builds), same servers' data. */
async function overviewWithRollups(h: Harness, baselineDist: string | null): Promise<{ current: Visit; baseline: Visit | null } | null> {
  const env = { ...h.env, CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs' };
  const server = await startServer(loadServerConfig(env), { options: {} });
  const base = baselineDist ? await startServer(loadServerConfig({ ...env, WEBCUBE_DASHBOARD_DIR: baselineDist }), { options: {} }) : null;
  try {
    if (!await buildRollups(h, server.url)) return null;
    const [current, baseline] = await overviewMs(h, base ? [server.url, base.url] : [server.url]);
    return { current: current!, baseline: baseline ?? null };
  } finally {
    await base?.close();
    await server.close();
  }
}

export async function bench(): Promise<BenchResult[]> {
  const h = await startHarness({ seed: demoSeed });
  try {
    const dist = join(h.dir, 'dist');
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    const initial = initialAssets(html);
    const initialKb = await gzipKb(dist, initial);
    const [raw] = await overviewMs(h, [h.server.url], 3);
    const rollups = await overviewWithRollups(h, buildBaseline(h.dir));
    const size = `${h.seed.days} days (${h.seed.events} events)`;
    const out: BenchResult[] = [
      { name: 'dashboard initial JS+CSS, gzip', value: initialKb, unit: 'KB', baseline: { name: 'budget', value: INITIAL_BUDGET_KB } },
      { name: `Overview fully rendered, ${size}, raw scans`, value: raw!.ms, unit: 'ms', baseline: { name: 'budget', value: OVERVIEW_BUDGET_MS } },
    ];
    if (rollups) {
      out.push({ name: `Overview fully rendered, ${size}, pre-aggregations built`, value: rollups.current.ms, unit: 'ms', baseline: rollups.baseline ? { name: `same page at ${BASELINE_REF.slice(0, 7)}`, value: rollups.baseline.ms } : { name: 'target', value: OVERVIEW_TARGET_MS } });
      out.push({ name: 'Overview /load requests, pre-aggregations built', value: rollups.current.requests, unit: 'requests', ...(rollups.baseline ? { baseline: { name: `at ${BASELINE_REF.slice(0, 7)}`, value: rollups.baseline.requests } } : {}) });
    }
    return out;
  } finally {
    await h.close();
  }
}
