// Dashboard budgets: initial JS+CSS (gzip) of the production build, and the Overview fully rendered on 30 days of data.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { BenchResult } from './run.ts';
import { initialAssets } from '../dashboard-app/src/model/asset-size.ts';
import { openPage, startHarness } from '../tests/dashboard-harness.ts';
import { runDemo } from '../collector/src/demo/demo-command.ts';

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

export async function bench(): Promise<BenchResult[]> {
  const h = await startHarness({ seed: demoSeed });
  try {
    const dist = join(h.dir, 'dist');
    const html = await readFile(join(dist, 'index.html'), 'utf8');
    const initial = initialAssets(html);
    const initialKb = await gzipKb(dist, initial);
    const { page, context } = await openPage(h);
    // First visit warms the server's model and query caches the way a returning user would find them.
    await page.goto(`${h.server.url}/?token=${h.token}&range=28d`);
    await page.getByTestId('kpi-sessions').waitFor({ timeout: 60_000 });
    const timings: number[] = [];
    for (let i = 0; i < 3; i++) {
      const start = Date.now();
      await page.goto(`${h.server.url}/?range=28d&_=${i}`);
      await page.waitForFunction(() => document.querySelectorAll('[data-testid^="kpi-"][data-value]').length >= 7
        && document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
        && document.querySelectorAll('[data-testid="top-pages-table"] tbody tr').length > 0, undefined, { timeout: 60_000 });
      timings.push(Date.now() - start);
    }
    await context.close();
    timings.sort((a, b) => a - b);
    return [
      { name: 'dashboard initial JS+CSS, gzip', value: initialKb, unit: 'KB', baseline: { name: 'budget', value: INITIAL_BUDGET_KB } },
      { name: `Overview fully rendered, ${h.seed.days} days (${h.seed.events} events), median of 3`, value: timings[1]!, unit: 'ms', baseline: { name: 'budget', value: OVERVIEW_BUDGET_MS } },
    ];
  } finally {
    await h.close();
  }
}
