// TEMP probe (not committed): waterfall of the Overview with rollups built.
import { join } from 'node:path';
import { loadServerConfig, openPage, startHarness, startServer } from '../tests/dashboard-harness.ts';
import { runDemo } from '@webcube/collector';

const h = await startHarness({ seed: async (dir) => { const r = await runDemo({ dataDir: dir, days: 30, live: false, sites: ['demo-site'] }); return { events: r.historyEvents, sessions: r.historySessions, days: 30 }; } });
const server = await startServer(loadServerConfig({ ...h.env, CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs', ...(process.env.DIST ? { WEBCUBE_DASHBOARD_DIR: process.env.DIST } : {}) }), { options: {} });
const call = (body: unknown) => fetch(`${server.url}/cubejs-api/v1/pre-aggregations/jobs`, { method: 'POST', headers: { Authorization: h.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const tokens = await (await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } })).json() as string[];
for (;;) { const st = await (await call({ action: 'get', tokens })).json() as { status: string }[]; if (st.every((s) => s.status === 'done')) break; await new Promise((r) => setTimeout(r, 500)); }
console.log('built; server', server.url, 'token', h.token, 'dir', h.dir);
const { page, context } = await openPage(h);
await page.goto(`${server.url}/?token=${h.token}&range=28d`);
await page.getByTestId('kpi-sessions').waitFor({ timeout: 120_000 });
for (let i = 0; i < 3; i++) {
  const t0 = Date.now();
  const log: string[] = [];
  const onReq = (r: any) => log.push(`${Date.now() - t0} start ${r.method()} ${r.url().slice(server.url.length, server.url.length + 60)}`);
  const onFin = async (r: any) => { let extra = ''; try { if (r.url().includes('/load')) { const b = await (await r.response()).json(); extra = JSON.stringify((b.results ?? []).map((x: any) => Object.keys(x.usedPreAggregations ?? {}).join('+') || 'RAW')); } } catch {} log.push(`${Date.now() - t0} done  ${r.url().slice(server.url.length, server.url.length + 60)} ${extra}`); };
  page.on('request', onReq); page.on('requestfinished', onFin);
  await page.goto(`${server.url}/?range=28d&_=${i}`);
  await page.waitForFunction(() => document.querySelectorAll('[data-testid^="kpi-"][data-value]').length >= 7
    && document.querySelectorAll('.MuiSkeleton-root, [aria-busy="true"]').length === 0
    && document.querySelectorAll('[data-testid="top-pages-table"] tbody tr').length > 0, undefined, { timeout: 120_000 });
  log.push(`${Date.now() - t0} RENDERED`);
  page.off('request', onReq); page.off('requestfinished', onFin);
  console.log(log.join('\n'));
}
await context.close(); await server.close(); await h.close();
