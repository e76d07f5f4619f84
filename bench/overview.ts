// The Overview's data with pre-aggregations built (issue #16: under 300 ms, at 105k demo events
// and at 100M): the seven /load requests the page sends for a 28-day view with comparison
// (bench/overview-queries.ts), fired together as the browser does, through the real API server
// on this tree, beside the same requests on a server built from BASELINE_REF in the same run
// (same Parquet, its own pre-aggregation store). Figure: median wall time of the seven, from
// the first request to the last answer. Per-request times and the pre-aggregation that served
// each go to stderr.
// Data: 30 days of the demo's traffic (default), or BENCH_OVERVIEW_EVENTS=N events from
// bench/_dataset.ts (90 days, demo-shaped; generated once and reused).
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import { runDemo } from '@webcube/collector';
import { benchDataset, isoDay, DATASET_END_MS, progress, sizeLabel } from './_dataset.ts';
import { overviewQueries } from './overview-queries.ts';
import type { BenchResult } from './run.ts';

const ROOT = resolve(import.meta.dirname, '..');
const SECRET = 'bench-overview-secret-0123456789';
/** main before this work on the Overview's speed; BENCH_OVERVIEW_BASELINE=<ref> compares with another
 *  commit, =none runs this tree alone (at 10M events and more the baseline's rollup build alone takes far longer than ours). */
const BASELINE_REF = process.env.BENCH_OVERVIEW_BASELINE ?? '4f206e2';
/** BENCH_OVERVIEW_NEW_EVENTS=1: a day of another site's events lands after the builds, as live traffic does between refreshes. */
const NEW_EVENTS = process.env.BENCH_OVERVIEW_NEW_EVENTS === '1';
const RUNS = Number(process.env.BENCH_OVERVIEW_RUNS ?? 7);
const DAY = 86_400_000;

type ServerModule = typeof import('@webcube/server');
type Running = { url: string; close(): Promise<void> };

/** The server package of `ref`, unpacked beside node_modules so its imports resolve. */
async function baselineServer(dir: string): Promise<ServerModule | null> {
  const src = join(dir, 'baseline-src');
  mkdirSync(src, { recursive: true });
  const r = spawnSync('sh', ['-c', `git archive ${BASELINE_REF} server collector schema package.json | tar -x -C '${src}'`], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) { progress(`no baseline server (${r.stderr.trim()})`); return null; }
  symlinkSync(join(ROOT, 'node_modules'), join(src, 'node_modules'));
  if (existsSync(join(ROOT, 'server', 'node_modules'))) symlinkSync(join(ROOT, 'server', 'node_modules'), join(src, 'server', 'node_modules'));
  return await import(join(src, 'server', 'src', 'index.ts')) as ServerModule;
}

async function start(mod: ServerModule, dataDir: string, schemaDir: string, storeDir: string, name: string): Promise<Running> {
  mkdirSync(storeDir, { recursive: true });
  return mod.startServer(mod.loadServerConfig({
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: schemaDir,
    WEBCUBE_DATA_DIR: dataDir, WEBCUBE_CONFIG_FILE: join(storeDir, 'no-cube.js'), CUBEJS_LOG_LEVEL: 'error',
    CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs',
    CUBEJS_PRE_AGGREGATIONS_SCHEMA: `${name}_pre_aggregations`, WEBCUBE_PREAGG_DUCKDB_PATH: join(storeDir, 'preaggs.duckdb'),
  }), { options: {} });
}

/** BENCH_OVERVIEW_BUILD=overview builds only what the Overview reads, over its two periods (the
 *  pre-aggregations named here, as the 107k run reports them): at 10M events and more, building
 *  every rollup over all 90 days takes hours on 2 cores. Default: everything, as a deployment has. */
const OVERVIEW_PRE_AGGREGATIONS = ['sessions.sessions_table', 'page_views.page_views_table', 'page_views.by_page'];

async function buildRollups(url: string, token: string, only?: { preAggregations: string[]; dateRange: [string, string] }): Promise<void> {
  const call = async (body: unknown) => {
    const r = await fetch(`${url}/cubejs-api/v1/pre-aggregations/jobs`, {
      method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`jobs API: ${r.status} ${await r.text()}`);
    return r.json();
  };
  const tokens = await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'], ...only } }) as string[];
  for (;;) {
    const statuses = (await call({ action: 'get', tokens }) as { status: string }[]).map((s) => s.status);
    const failed = statuses.find((s) => s.startsWith('failure'));
    if (failed) throw new Error(`pre-aggregation build ${failed}`);
    if (statuses.every((s) => s === 'done')) return;
    await new Promise((r) => setTimeout(r, 250));
  }
}

type Visit = { ms: number; perQuery: { name: string; ms: number; used: string[]; server: Record<string, number> }[] };

/** `Server-Timing` phases (ms) of a response; the baseline server sends none. */
function serverTiming(header: string | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of (header ?? '').matchAll(/(\w+);dur=([\d.]+)/g)) out[m[1]!] = Number(m[2]);
  return out;
}

async function visit(url: string, token: string, queries: ReturnType<typeof overviewQueries>, renew = false): Promise<Visit> {
  const t0 = performance.now();
  const perQuery = await Promise.all(queries.map(async ([name, q]) => {
    const t = performance.now();
    const r = await fetch(`${url}/cubejs-api/v1/load?queryType=multi&query=${encodeURIComponent(JSON.stringify(renew ? { ...q, renewQuery: true } : q))}`, { headers: { Authorization: token } });
    const body = await r.json() as { error?: string; results?: { usedPreAggregations?: Record<string, unknown> }[]; usedPreAggregations?: Record<string, unknown> };
    if (!r.ok) throw new Error(`${name}: ${r.status} ${body.error}`);
    const used = (body.results ?? [body]).flatMap((x) => Object.keys(x.usedPreAggregations ?? {}));
    return { name, ms: performance.now() - t, used: [...new Set(used)], server: serverTiming(r.headers.get('server-timing')) };
  }));
  return { ms: performance.now() - t0, perQuery };
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function bench(): Promise<BenchResult[]> {
  const events = process.env.BENCH_OVERVIEW_EVENTS ? Number(process.env.BENCH_OVERVIEW_EVENTS) : 0;
  const work = await mkdtemp(join(tmpdir(), 'bench-overview-'));
  try {
    let dataDir: string;
    let today: string;
    let size: string;
    if (events) {
      dataDir = await benchDataset(events);
      today = isoDay(DATASET_END_MS);
      size = `${sizeLabel(events)} events`;
    } else {
      dataDir = join(work, 'data');
      const r = await runDemo({ dataDir, days: 30, live: false, sites: ['demo-site'] });
      today = isoDay(Date.now());
      size = `30 demo days (${r.historyEvents.toLocaleString('en-US')} events)`;
    }
    const range: [string, string] = [isoDay(Date.parse(today) - 27 * DAY), today];
    const previous: [string, string] = [isoDay(Date.parse(range[0]) - 28 * DAY), isoDay(Date.parse(range[0]) - DAY)];
    const queries = overviewQueries(range, previous);
    const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode(SECRET));

    const servers: { name: string; server: Running }[] = [];
    const { startServer, loadServerConfig } = await import('@webcube/server');
    servers.push({ name: 'this tree', server: await start({ startServer, loadServerConfig } as ServerModule, dataDir, join(ROOT, 'schema'), join(work, 'store-current'), 'current') });
    const base = BASELINE_REF === 'none' ? null : await baselineServer(work);
    if (base) servers.push({ name: `main at ${BASELINE_REF}`, server: await start(base, dataDir, join(work, 'baseline-src', 'schema'), join(work, 'store-baseline'), 'baseline') });
    try {
      for (const s of servers) {
        const t = performance.now();
        await buildRollups(s.server.url, token, process.env.BENCH_OVERVIEW_BUILD === 'overview'
          ? { preAggregations: OVERVIEW_PRE_AGGREGATIONS, dateRange: [previous[0], range[1]] } : undefined);
        progress(`${s.name}: pre-aggregations built in ${Math.round(performance.now() - t)} ms`);
        await visit(s.server.url, token, queries); // warm: model compiled, tails and caches as a returning visitor sees them
      }
      if (NEW_EVENTS && !events) {
        const r = await runDemo({ dataDir, days: 1, live: false, sites: ['new-site'], seed: 'bench-new-events' });
        size += `, ${r.historyEvents.toLocaleString('en-US')} newer events after the builds`;
        for (const s of servers) await visit(s.server.url, token, queries);
      }
      const out: BenchResult[] = [];
      // renewQuery: every answer computed (a first visit after a refresh); without: the server's
      // result cache answers, as for a returning visitor within the cache TTL.
      for (const renew of [true, false]) {
        // Alternate the servers so both see the same machine load.
        const visits = servers.map(() => [] as Visit[]);
        for (let i = 0; i < RUNS; i++) for (const [k, s] of servers.entries()) visits[k]!.push(await visit(s.server.url, token, queries, renew));
        for (const [k, s] of servers.entries()) {
          const v = visits[k]!;
          for (const [qi, [name]] of queries.entries()) {
            const phases = Object.keys(v[0]!.perQuery[qi]!.server);
            const srv = phases.map((p) => `${p} ${Math.round(median(v.map((x) => x.perQuery[qi]!.server[p] ?? 0)))}`).join(', ');
            progress(`${s.name}${renew ? ' (renewQuery)' : ''}: ${name.padEnd(22)} ${String(Math.round(median(v.map((x) => x.perQuery[qi]!.ms)))).padStart(6)} ms  ${v[0]!.perQuery[qi]!.used.join(', ') || 'source'}${srv ? `  server: ${srv}` : ''}`);
          }
        }
        const current = median(visits[0]!.map((v) => v.ms));
        const baseline = visits[1] ? median(visits[1].map((v) => v.ms)) : undefined;
        out.push({
          name: `Overview data (${queries.length} /load${renew ? ', renewQuery' : ', cached'}), ${size}, rollups built`, value: current, unit: 'ms',
          baseline: baseline !== undefined ? { name: `main at ${BASELINE_REF}`, value: baseline } : { name: 'target', value: 300 },
        });
      }
      return out;
    } finally {
      for (const s of servers) await s.server.close();
    }
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
