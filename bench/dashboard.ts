// Dashboard budgets: initial JS+CSS (gzip) of the production build, and the Overview fully rendered on 30 days of data.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './run.ts';
import { initialAssets } from '../dashboard-app/src/model/asset-size.ts';
import { loadServerConfig, openPage, startHarness, startServer, type Harness } from '../tests/dashboard-harness.ts';
import { runDemo } from '@webcube/collector';

const DAYS = 30;

/** 30 days of the demo's realistic traffic, written through the collector's import path. */
async function demoSeed(dir: string) {
  const r = await runDemo({ dataDir: dir, days: DAYS, live: false, sites: ['demo-site'] });
  return { events: r.historyEvents, sessions: r.historySessions, days: DAYS };
}

const INITIAL_BUDGET_KB = 300;
const OVERVIEW_BUDGET_MS = 2000;

async function gzipKb(dist: string, files: readonly string[]): Promise<number> {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(await readFile(join(dist, f.replace(/^\//, '')))).length;
  return bytes / 1024;
}

/** Median time to a fully rendered Overview (all KPIs, no skeletons, top pages listed) on a server URL. */
async function overviewMs(h: Harness, url: string): Promise<number> {
  const { page, context } = await openPage(h);
  try {
    // The first visit stores the token and warms the model; the timed visits are the next three.
    await page.goto(`${url}/?token=${h.token}&range=28d`);
    await page.getByTestId('kpi-sessions').waitFor({ timeout: 120_000 });
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = Date.now();
      await page.goto(`${url}/?range=28d&_=${i}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="kpi-"][data-value]').length >= 7
        && document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
        && document.querySelectorAll('[data-testid="top-pages-table"] tbody tr').length > 0, undefined, { timeout: 120_000 });
      timings.push(Date.now() - start);
    }
    return timings.sort((a, b) => a - b)[1]!;
  } finally {
    await context.close();
  }
}

/** The same page once every pre-aggregation is built through Cube's jobs API; null if the server cannot yet. */
async function overviewWithRollupsMs(h: Harness): Promise<number | null> {
  const server = await startServer(loadServerConfig({ ...h.env, CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs' }), { options: {} });
  try {
    const call = (body: unknown) => fetch(`${server.url}/cubejs-api/v1/pre-aggregations/jobs`, {
      method: 'POST', headers: { Authorization: h.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    const posted = await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } });
    if (!posted.ok) return null;
    const tokens = await posted.json() as string[];
    for (let i = 0; i < 600; i++) {
      const statuses = await (await call({ action: 'get', tokens })).json() as { status: string }[];
      if (statuses.some((s) => s.status.startsWith('failure'))) return null;
      if (statuses.every((s) => s.status === 'done')) return await overviewMs(h, server.url);
      await new Promise((r) => setTimeout(r, 500));
    }
    return null;
  } finally {
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
    const raw = await overviewMs(h, h.server.url);
    const rollups = await overviewWithRollupsMs(h);
    return [
      { name: 'dashboard initial JS+CSS, gzip', value: initialKb, unit: 'KB', baseline: { name: 'budget', value: INITIAL_BUDGET_KB } },
      { name: `Overview fully rendered, ${h.seed.days} days (${h.seed.events} events), raw scans`, value: raw, unit: 'ms', baseline: { name: 'budget', value: OVERVIEW_BUDGET_MS } },
      ...(rollups === null ? [] : [{ name: 'Overview fully rendered, pre-aggregations built', value: rollups, unit: 'ms', baseline: { name: 'budget', value: OVERVIEW_BUDGET_MS } }]),
    ];
  } finally {
    await h.close();
  }
}
