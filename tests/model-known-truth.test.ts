// Known truth, end to end: generated traffic (sessions, bounces, engaged sessions, returning
// visitors, UTM campaigns, a checkout funnel) plus scripted funnel cases with window misses are
// sent through the official @snowplow/node-tracker to a real collector; the truth is computed
// here in plain code from what was sent; every metric by day and by dimension is read through
// the real API server with the official @cubejs-client/core, and the funnel through the funnel
// handlers, and must equal that truth exactly: on DuckDB, and on PrestoDB and Trino over the
// same Parquet files (the shipped schema/ unchanged; only WEBCUBE_EVENTS_TABLE differs).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import cube, { type CubeApi } from '@cubejs-client/core';
import { loadCollectorConfig } from '../collector/src/config.ts';
import { startCollector, type RunningCollector } from '../collector/src/collector-command.ts';
import { planTraffic } from '../collector/src/demo/plan-traffic.ts';
import { Scenario } from '../collector/src/demo/scenario.ts';
import { createLiveSender } from '../collector/src/demo/live-sender.ts';
import { botUserAgents, countries, devices } from '../collector/src/demo/catalog.ts';
import type { Hit } from '../collector/src/demo/hit.ts';
import { loadServerConfig } from '../server/src/config.ts';
import { startServer, type RunningServer } from '../server/src/api/server-command.ts';
import { signToken } from '../server/src/auth/sign-token.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createFunnelRoutes } from '../server/src/funnels/funnel-routes.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { testEngine, uniqueSchema, type TestEngine } from './engines.ts';

const SECRET = 'known-truth-secret';
const APP = 'demo-site';
const DAY = 86_400_000;
const KEY_EVENTS = new Set(['purchase', 'sign_up', 'generate_lead']);
const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

// ---- The truth, from the hits alone -------------------------------------------------------

const SEARCH: Record<string, string> = { 'www.google.com': 'google', 'www.bing.com': 'bing', 'duckduckgo.com': 'duckduckgo', 'search.yahoo.com': 'yahoo!' };
const SOCIAL: Record<string, string> = { 'www.facebook.com': 'facebook', 't.co': 'twitter', 'www.linkedin.com': 'linkedin', 'www.reddit.com': 'reddit', 'news.ycombinator.com': 'hacker news', 'stackoverflow.com': 'stack overflow' };

interface TruthSession {
  sid: string; duid: string; vid: number; start: number; day: string; views: number; engagedTime: number; keyEvents: number;
  engaged: boolean; source: string; medium: string; campaign: string; channel: string; country: string; device: string; landing: string;
}

function attribution(first: Hit): Pick<TruthSession, 'source' | 'medium' | 'campaign' | 'channel'> {
  const q = new URL(first.url).searchParams;
  const utmSource = q.get('utm_source'), utmMedium = q.get('utm_medium'), campaign = q.get('utm_campaign') ?? '(not set)';
  if (utmSource || utmMedium) {
    const channel = { cpc: 'Paid Search', email: 'Email', display: 'Display' }[utmMedium ?? ''] ?? 'Unassigned';
    return { source: utmSource!, medium: utmMedium ?? '(not set)', campaign, channel };
  }
  const host = first.referrer ? new URL(first.referrer).hostname : undefined;
  if (!host) return { source: '(direct)', medium: '(none)', campaign, channel: 'Direct' };
  if (SEARCH[host]) return { source: SEARCH[host], medium: 'organic', campaign, channel: 'Organic Search' };
  if (SOCIAL[host]) return { source: SOCIAL[host], medium: 'social', campaign, channel: 'Organic Social' };
  return { source: host, medium: 'referral', campaign, channel: 'Referral' };
}

function truthSessions(hits: readonly Hit[]): TruthSession[] {
  const bySession = new Map<string, Hit[]>();
  for (const h of hits) if (!botUserAgents.includes(h.ua)) (bySession.get(h.sid) ?? bySession.set(h.sid, []).get(h.sid)!).push(h);
  return [...bySession.values()].map((hs) => {
    hs.sort((a, b) => a.time - b.time);
    const first = hs[0];
    const views = hs.filter((h) => h.kind === 'page_view');
    let engagedTime = 0;
    for (const v of views) {
      const windows = new Set(hs.filter((h) => h.kind === 'page_ping' && h.pageViewId === v.pageViewId).map((h) => Math.floor(h.time / 10_000))).size;
      if (windows > 0) engagedTime += 10 * (windows - 1) + 5;
    }
    const keyEvents = hs.filter((h) => h.event && KEY_EVENTS.has(h.event.schema.split('/')[1])).length;
    return {
      sid: first.sid, duid: first.duid, vid: first.vid, start: first.time, day: dayOf(first.time), views: views.length,
      engagedTime, keyEvents, engaged: engagedTime > 10 || views.length >= 2 || keyEvents > 0, ...attribution(first),
      country: countries.find((c) => c.blocks.some((b) => first.ip.startsWith(b)))!.code,
      device: devices.find((d) => d.ua === first.ua)!.kind,
      landing: new URL(views[0].url).pathname,
    };
  });
}

function tally<T>(items: readonly T[], key: (t: T) => string, value: (ts: T[]) => number): Record<string, number> {
  const groups = new Map<string, T[]>();
  for (const t of items) (groups.get(key(t)) ?? groups.set(key(t), []).get(key(t))!).push(t);
  return Object.fromEntries([...groups].map(([k, ts]) => [k, value(ts)]).sort());
}
const distinct = <T>(xs: readonly T[]) => new Set(xs).size;

/** Funnel truth: first step-1 event in range per user, then each next step strictly later, within the window of step 1. */
function truthFunnel(hits: readonly Hit[], steps: ((h: Hit) => boolean)[], from: number, to: number, windowMs: number, only?: (entry: Hit) => boolean): number[] {
  const byUser = new Map<string, Hit[]>();
  for (const h of hits) if (!botUserAgents.includes(h.ua) && h.appId === APP) (byUser.get(h.duid) ?? byUser.set(h.duid, []).get(h.duid)!).push(h);
  const counts = steps.map(() => 0);
  for (const hs of byUser.values()) {
    hs.sort((a, b) => a.time - b.time);
    const entry = hs.find((h) => steps[0](h) && h.time >= from && h.time <= to);
    if (!entry || (only && !only(entry))) continue;
    counts[0]++;
    let last = entry.time;
    for (let k = 1; k < steps.length; k++) {
      const next = hs.find((h) => steps[k](h) && h.time > last && h.time <= entry.time + windowMs);
      if (!next) break;
      counts[k]++;
      last = next.time;
    }
  }
  return counts;
}

// ---- The run ---------------------------------------------------------------------------

describe('known truth: node tracker → collector → semantic layer', () => {
  let dir: string;
  let collector: RunningCollector;
  let hits: Hit[];
  let sessions: TruthSession[];
  let days: string[];
  // Three whole days ending yesterday (UTC), so the traffic does not depend on the time of day.
  // They reach the collector today: dt is today, within the model's 3-day late-arrival margin.
  const first = Math.floor(Date.now() / DAY) * DAY - 3 * DAY;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'model-known-truth-'));
    collector = await startCollector(loadCollectorConfig({
      WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
      COLLECTOR_FLUSH_MS: '60000', COLLECTOR_COOKIE_SECURE: 'false', COLLECTOR_COOKIE_SAMESITE: 'Lax',
    }));

    hits = [];
    for (const s of planTraffic({ seed: 'known-truth', startMs: first, days: 3, sessionsPerDay: 40, appIds: [APP], botShare: 0.05, returningShare: 0.4 })) hits.push(...s.hits);
    // Scripted funnel cases: a window miss, a skipped step, steps out of order.
    const sc = new Scenario({ seed: 'known-truth-funnel', appId: APP, host: 'www.webcube-demo.com' });
    const t0 = first + DAY + 9 * 3_600_000;
    let s = sc.user({ country: 'DE' }).session(t0);
    s.view('/products/pro-plan', { dwell: 12 }); s.event('add_to_cart', { sku: 'pro-plan' }, 20 * 60_000); s.event('purchase', { value: 99 }, 45 * 60_000);
    s = sc.user({ country: 'FR', device: 'mobile' }).session(t0 + 600_000);
    s.view('/products/team-plan'); s.event('purchase', { value: 49 }, 60_000);
    s = sc.user({ country: 'US' }).session(t0 + 1_200_000);
    s.view('/pricing'); s.event('add_to_cart', {}, 5_000); s.view('/products/starter-kit', { dwell: 30 }); s.event('purchase', {}, 10_000);
    s = sc.user({ country: 'GB', device: 'tablet' }).session(t0 + 1_800_000);
    s.view('/products/hosting', { dwell: 40 }); s.event('add_to_cart', {}, 5_000); s.view('/cart', { dwell: 20 });
    hits.push(...sc.hits);

    const sender = createLiveSender(collector.url, { bufferSize: 50 });
    // The node tracker's in-memory store keeps 1,000 events and silently drops the oldest beyond
    // that; how many hits three days make depends on the calendar (1,308 on 2026-12-08).
    for (const [i, h] of hits.entries()) {
      sender.send(h);
      if (i % 500 === 499) await sender.flush();
    }
    await sender.flush();
    assert.equal(sender.stats.failed, 0);
    assert.equal(sender.stats.posted, hits.length);
    await collector.store.flush();

    sessions = truthSessions(hits);
    days = [0, 1, 2].map((i) => dayOf(first + i * DAY));
  });

  after(async () => {
    await collector?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the traffic is rich enough to mean something', () => {
    assert.ok(sessions.length >= 60, `${sessions.length} sessions`);
    assert.ok(sessions.some((s) => !s.engaged) && sessions.some((s) => s.engaged));
    assert.ok(sessions.some((s) => s.vid > 1), 'returning visitors');
    assert.ok(sessions.some((s) => s.campaign !== '(not set)'), 'UTM campaigns');
    assert.ok(hits.some((h) => botUserAgents.includes(h.ua)), 'bots');
  });

  for (const engineName of ['duckdb', 'presto', 'trino'] as const) describe(`on ${engineName}`, () => {
  let server: RunningServer;
  let api: CubeApi;
  let engine: TestEngine | undefined;
  let schema: string;
  let funnelDriver: () => Promise<Driver>;

  before(async () => {
    let source: Record<string, string> = {};
    if (engineName === 'duckdb') {
      funnelDriver = () => DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
    } else {
      engine = await testEngine(engineName);
      schema = uniqueSchema('known_truth');
      const table = await engine.registerEvents(dir, schema);
      source = { ...engine.settings('hive', schema), WEBCUBE_EVENTS_TABLE: table };
      funnelDriver = () => engine!.driver('hive', schema);
    }
    const config = loadServerConfig({
      PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: new URL('../schema', import.meta.url).pathname,
      WEBCUBE_DATA_DIR: dir, WEBCUBE_CONFIG_FILE: new URL('../cube.js', import.meta.url).pathname, WEBCUBE_DASHBOARD_DIR: join(dir, 'none'),
      CUBEJS_DEV_MODE: 'false', CUBEJS_REFRESH_WORKER: 'false', ...source,
    });
    server = await startServer(config);
    api = cube(await signToken({ app_id: APP }, SECRET, { expiresIn: '1h' }), { apiUrl: `${server.url}/cubejs-api/v1` });
  });

  after(async () => {
    await server?.close();
    if (engine) await engine.run(`DROP TABLE IF EXISTS hive.${schema}.events`).catch(() => undefined);
  });

  const range = () => [days[0], days[2]] as [string, string];
  // Cube's client polls through "Continue wait" for slow engines.
  const rows = async (query: Record<string, unknown>) => (await api.load(query as never)).tablePivot() as Record<string, unknown>[];
  const byKey = (rs: Record<string, unknown>[], key: string, measure: string) =>
    Object.fromEntries(rs.map((r) => [String(r[key]).slice(0, 10), Number(r[measure])]).filter(([, v]) => v !== 0).sort());

  test('sessions, engagement, bounces, users and new users by day', async () => {
    const rs = await rows({
      measures: ['sessions.count', 'sessions.engaged_sessions', 'sessions.bounces', 'sessions.users', 'sessions.new_users', 'sessions.total_engagement_time', 'sessions.page_views', 'sessions.key_events'],
      timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: range() }],
    });
    const key = 'sessions.start_time.day';
    assert.deepEqual(byKey(rs, key, 'sessions.count'), tally(sessions, (s) => s.day, (ss) => ss.length));
    assert.deepEqual(byKey(rs, key, 'sessions.engaged_sessions'), tally(sessions.filter((s) => s.engaged), (s) => s.day, (ss) => ss.length));
    assert.deepEqual(byKey(rs, key, 'sessions.bounces'), tally(sessions.filter((s) => !s.engaged), (s) => s.day, (ss) => ss.length));
    assert.deepEqual(byKey(rs, key, 'sessions.users'), tally(sessions, (s) => s.day, (ss) => distinct(ss.map((s) => s.duid))));
    assert.deepEqual(byKey(rs, key, 'sessions.new_users'), tally(sessions.filter((s) => s.vid === 1), (s) => s.day, (ss) => distinct(ss.map((s) => s.duid))));
    assert.deepEqual(byKey(rs, key, 'sessions.total_engagement_time'), tally(sessions.filter((s) => s.engagedTime > 0), (s) => s.day, (ss) => ss.reduce((a, s) => a + s.engagedTime, 0)));
    assert.deepEqual(byKey(rs, key, 'sessions.page_views'), tally(sessions, (s) => s.day, (ss) => ss.reduce((a, s) => a + s.views, 0)));
    assert.deepEqual(byKey(rs, key, 'sessions.key_events'), tally(sessions.filter((s) => s.keyEvents > 0), (s) => s.day, (ss) => ss.reduce((a, s) => a + s.keyEvents, 0)));
  });

  test('rates over the whole range: engagement, bounce, views per session', async () => {
    const [r] = await rows({ measures: ['sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.views_per_session', 'sessions.returning_users'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range() }] });
    const engaged = sessions.filter((s) => s.engaged).length;
    assert.equal(Number(r['sessions.count']), sessions.length);
    assert.ok(Math.abs(Number(r['sessions.engagement_rate']) - engaged / sessions.length) < 1e-12);
    assert.ok(Math.abs(Number(r['sessions.bounce_rate']) - (1 - engaged / sessions.length)) < 1e-12);
    assert.ok(Math.abs(Number(r['sessions.views_per_session']) - sessions.reduce((a, s) => a + s.views, 0) / sessions.length) < 1e-12);
    assert.equal(Number(r['sessions.returning_users']), distinct(sessions.filter((s) => s.vid > 1).map((s) => s.duid)));
  });

  test('views and events by day (page_views and events cubes)', async () => {
    const human = hits.filter((h) => !botUserAgents.includes(h.ua));
    const views = await rows({ measures: ['page_views.count'], timeDimensions: [{ dimension: 'page_views.timestamp', granularity: 'day', dateRange: range() }] });
    assert.deepEqual(byKey(views, 'page_views.timestamp.day', 'page_views.count'), tally(human.filter((h) => h.kind === 'page_view'), (h) => dayOf(h.time), (hs) => hs.length));
    const events = await rows({ measures: ['events.count', 'events.key_events'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'day', dateRange: range() }] });
    assert.deepEqual(byKey(events, 'events.timestamp.day', 'events.count'), tally(human, (h) => dayOf(h.time), (hs) => hs.length));
    assert.deepEqual(byKey(events, 'events.timestamp.day', 'events.key_events'), tally(human.filter((h) => h.event && KEY_EVENTS.has(h.event.schema.split('/')[1])), (h) => dayOf(h.time), (hs) => hs.length));
    const all = await rows({ measures: ['events.count'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: range() }] });
    assert.equal(Number(all[0]['events.count']), hits.length);
  });

  for (const [dimension, key] of [['channel', 'channel'], ['source', 'source'], ['medium', 'medium'], ['campaign', 'campaign'], ['country', 'country'], ['device_type', 'device'], ['landing_page', 'landing']] as const) {
    test(`sessions, engaged sessions and users by ${dimension}`, async () => {
      const rs = await rows({ measures: ['sessions.count', 'sessions.engaged_sessions', 'sessions.users'], dimensions: [`sessions.${dimension}`], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: range() }] });
      const k = (s: TruthSession) => String(s[key]);
      const got = (m: string) => Object.fromEntries(rs.map((r) => [String(r[`sessions.${dimension}`]), Number(r[m])]).filter(([, v]) => v !== 0).sort());
      assert.deepEqual(got('sessions.count'), tally(sessions, k, (ss) => ss.length));
      assert.deepEqual(got('sessions.engaged_sessions'), tally(sessions.filter((s) => s.engaged), k, (ss) => ss.length));
      assert.deepEqual(got('sessions.users'), tally(sessions, k, (ss) => distinct(ss.map((s) => s.duid))));
    });
  }

  test('views by page path and the first-seen users', async () => {
    const human = hits.filter((h) => !botUserAgents.includes(h.ua) && h.kind === 'page_view');
    const rs = await rows({ measures: ['page_views.count'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: range() }] });
    assert.deepEqual(Object.fromEntries(rs.map((r) => [r['page_views.page_path'], Number(r['page_views.count'])]).sort()), tally(human, (h) => new URL(h.url).pathname, (hs) => hs.length));
    const users = await rows({ measures: ['users.count', 'users.returning_users'] });
    const byUser = tally(sessions, (s) => s.duid, (ss) => ss.length);
    assert.equal(Number(users[0]['users.count']), Object.keys(byUser).length);
    assert.equal(Number(users[0]['users.returning_users']), Object.values(byUser).filter((n) => n > 1).length);
  });

  test('the checkout funnel equals the truth, window misses included', async () => {
    const steps = [
      (h: Hit) => h.kind === 'page_view' && new URL(h.url).pathname.startsWith('/products/'),
      (h: Hit) => h.event?.schema.split('/')[1] === 'add_to_cart',
      (h: Hit) => h.event?.schema.split('/')[1] === 'purchase',
    ];
    const from = Date.parse(`${days[0]}T00:00:00Z`), to = Date.parse(`${days[2]}T23:59:59.999Z`);
    const driver = await funnelDriver();
    const routes = createFunnelRoutes();
    try {
      const ctx = { driver, dialect: driver.dialect, securityContext: { app_id: APP }, ...(engine ? { eventsTable: `hive.${schema}.events` } : {}) };
      const truths: number[][] = [];
      for (const windowMs of [86_400_000, 3_600_000, 600_000]) {
        const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], windowSeconds: windowMs / 1000, dateRange: range() }, ctx);
        await routes.idle();
        const r = await routes.get({ id: job.id }, ctx);
        assert.equal(r.status, 'done', r.error ?? '');
        const truth = truthFunnel(hits, steps, from, to, windowMs);
        truths.push(truth);
        assert.deepEqual(r.steps!.map((s) => s.completed), truth, `window ${windowMs / 60_000} min`);
      }
      // Drop-off at every step, and purchases that only the longer window admits.
      assert.ok(truths[0][2] > 0 && truths[0][2] < truths[0][1] && truths[0][1] < truths[0][0], `drop-off: ${truths[0]}`);
      assert.ok(truths[0][2] > truths[1][2], `window misses: ${truths.join(' | ')}`);

      // Broken down by the device of each user's entry event, and compared with the first day alone.
      const deviceOf = (h: Hit) => devices.find((d) => d.ua === h.ua)!.kind;
      const dayOne = [days[0], days[0]] as [string, string];
      const job = await routes.submit({ steps: [{ page: '/products/*' }, { event: 'add_to_cart' }, { event: 'purchase' }], windowSeconds: 86_400, dateRange: range(), compareDateRange: dayOne, breakdown: 'device_type' }, ctx);
      await routes.idle();
      const r = await routes.get({ id: job.id }, ctx);
      assert.equal(r.status, 'done', r.error ?? '');
      assert.deepEqual(r.steps!.map((st) => st.completed), truths[0]);
      const byDevice = Object.fromEntries(r.breakdown!.map((b) => [b.value, b.steps.map((st) => st.completed)]));
      const truthByDevice = Object.fromEntries([...new Set(devices.map((d) => d.kind))]
        .map((kind) => [kind, truthFunnel(hits, steps, from, to, 86_400_000, (entry) => deviceOf(entry) === kind)])
        .filter(([, counts]) => (counts as number[])[0] > 0));
      assert.deepEqual(byDevice, truthByDevice);
      const dayOneTo = Date.parse(`${days[0]}T23:59:59.999Z`);
      assert.deepEqual(r.compare!.steps.map((st) => st.completed), truthFunnel(hits, steps, from, dayOneTo, 86_400_000));
    } finally {
      routes.close();
      await driver.close();
    }
  });
});
});
