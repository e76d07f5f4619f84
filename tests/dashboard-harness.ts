// Shared setup for the dashboard's browser tests: a fresh build, seeded Parquet, the real API server, Chromium.
import { mkdtemp, rm, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { spawnSync } from 'node:child_process';
import { SignJWT } from 'jose';
import cube from '@cubejs-client/core';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { loadServerConfig, startServer, type RunningServer } from '@webcube/server';
export { loadServerConfig, startServer };
import { seedEvents, type SeedResult } from './dashboard-seed.ts';

export const ROOT = resolve(import.meta.dirname, '..');
export const SCREENSHOTS = join(ROOT, 'test-artifacts', 'screenshots');
export const SECRET = 'dashboard-test-secret-0123456789';

/** Builds the dashboard into a temp dir (so concurrent runs never see a half-written dist). */
export function buildDashboard(outDir: string): void {
  const r = spawnSync('npx', ['vite', 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], {
    cwd: join(ROOT, 'dashboard-app'), encoding: 'utf8', env: { ...process.env, NODE_ENV: 'production' },
  });
  if (r.status !== 0) throw new Error(`vite build failed:\n${r.stdout}\n${r.stderr}`);
}

export async function signToken(claims: Record<string, unknown> = {}): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h')
    .sign(new TextEncoder().encode(SECRET));
}

export type Harness = Readonly<{
  dir: string;
  /** The server config's environment, so a test can start a second server (e.g. dev mode) on the same data. */
  env: Record<string, string>;
  server: RunningServer;
  token: string;
  seed: SeedResult;
  api: ReturnType<typeof cube>;
  browser: Browser;
  close: () => Promise<void>;
}>;

export type HarnessOptions = Readonly<{
  env?: Record<string, string>;
  seed?: (dir: string) => Promise<SeedResult>;
  /** The source engine's settings, once the seed is written (e.g. a Presto table over `dir`); DuckDB when absent. */
  source?: (dir: string) => Promise<Record<string, string>>;
}>;

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-dashboard-'));
  const dist = join(dir, 'dist');
  buildDashboard(dist);
  const seed = await (opts.seed ?? seedEvents)(dir);
  const env: Record<string, string> = {
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: join(ROOT, 'schema'),
    WEBCUBE_DATA_DIR: dir, WEBCUBE_DASHBOARD_DIR: dist, WEBCUBE_CONFIG_FILE: join(dir, 'no-cube.js'),
    CUBEJS_CACHE_TTL: '1', CUBEJS_LOG_LEVEL: 'error', ...(await opts.source?.(dir)), ...opts.env,
  };
  const server = await startServer(loadServerConfig(env), { options: {} });
  const token = await signToken();
  const api = cube(token, { apiUrl: `${server.url}/cubejs-api/v1` });
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
  await mkdir(SCREENSHOTS, { recursive: true });
  return {
    dir, env, server, token, seed, api, browser,
    close: async () => {
      await browser.close();
      await server.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

export type WatchedPage = Readonly<{ page: Page; context: BrowserContext; errors: string[] }>;

/** A page that records console errors and uncaught exceptions, so a test can assert there were none. */
export async function openPage(h: Harness, viewport = { width: 1440, height: 1000 }): Promise<WatchedPage> {
  const context = await h.browser.newContext({ viewport, timezoneId: 'UTC', locale: 'en-US' });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(e.message));
  // Chromium's console line for a failed fetch has no URL; record which request it was.
  page.on('response', (r) => { if (r.status() >= 400) errors.push(`HTTP ${r.status()} ${r.request().method()} ${new URL(r.url()).pathname}`); });
  return { page, context, errors };
}

/** Today's date in UTC and N days before, as the dashboard's presets compute them. */
export function utcRange(days: number, now = new Date()): [string, string] {
  const to = now.toISOString().slice(0, 10);
  const from = new Date(Date.parse(`${to}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  return [from, to];
}

/** Waits until no skeleton or busy region is left on the page. */
export async function settled(page: Page, timeout = 20_000): Promise<void> {
  await page.waitForFunction(() => document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
    && !!document.querySelector('main'), undefined, { timeout });
}
