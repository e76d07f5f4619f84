// The demo traffic generator and `webcube demo`: deterministic plans that behave like the
// browser tracker (30-minute session timeout, pings while active, a checkout funnel with
// drop-off, crawlers), IPs that geoip resolves to their country, history through the import
// path into dt partitions, and live traffic through the node tracker into a real collector.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { planTraffic } from './plan-traffic.ts';
import { hitToParams } from './hit-to-params.ts';
import { botUserAgents, countries } from './catalog.ts';
import { loadDemoConfig } from './demo-config.ts';
import { runDemo } from './demo-command.ts';
import { generateBulkEvents } from './bulk-events.ts';
import type { Hit } from './hit.ts';
import { createEnrichContext, processTrackerEvent } from '../process-event.ts';
import { loadCollectorConfig } from '../config.ts';
import { startCollector } from '../collector-command.ts';

const START = Date.UTC(2026, 9, 5);
const plan = (seed: string) => [...planTraffic({ seed, startMs: START, days: 4, sessionsPerDay: 120, appIds: ['a', 'b'] })];
const name = (h: Hit) => h.event?.schema.split('/')[1];

async function countParquet(dir: string): Promise<{ total: number; days: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n, count(DISTINCT dt)::INTEGER AS d FROM read_parquet('${dir}/events/**/*.parquet', hive_partitioning = true)`);
    const [n, d] = r.getRows()[0] as [number, number];
    return { total: n, days: d };
  } finally { conn.closeSync(); db.closeSync(); }
}

describe('demo traffic plan', () => {
  const sessions = plan('seed-1');
  const hits = sessions.flatMap((s) => s.hits);

  test('the same seed gives the same traffic; another seed another', () => {
    assert.deepEqual(plan('seed-1').flatMap((s) => s.hits), hits);
    assert.notDeepEqual(plan('seed-2').flatMap((s) => s.hits).slice(0, 50), hits.slice(0, 50));
  });

  test('sessions behave like the tracker: 30-minute timeout, increasing visit count, pings on the page', () => {
    const byVisitor = new Map<string, typeof sessions>();
    for (const s of sessions) (byVisitor.get(s.visitor.duid) ?? byVisitor.set(s.visitor.duid, []).get(s.visitor.duid)!).push(s);
    for (const list of byVisitor.values()) {
      list.forEach((s, i) => {
        assert.equal(s.vid, i + 1);
        if (i > 0) assert.ok(s.start - list[i - 1].end > 30 * 60_000, 'a new session only after 30 minutes without events');
        const times = s.hits.map((h) => h.time).sort((a, b) => a - b);
        times.slice(1).forEach((t, k) => assert.ok(t - times[k] < 30 * 60_000, 'no 30-minute gap inside a session'));
      });
    }
    assert.ok([...byVisitor.values()].some((l) => l.length > 1), 'some visitors return');
    const views = new Set(hits.filter((h) => h.kind === 'page_view').map((h) => h.pageViewId));
    assert.ok(hits.filter((h) => h.kind === 'page_ping').every((h) => views.has(h.pageViewId)), 'pings belong to a page view');
  });

  test('traffic has the shape of a real site', () => {
    const n = (k: string) => hits.filter((h) => name(h) === k).length;
    assert.ok(n('add_to_cart') > n('begin_checkout') && n('begin_checkout') > n('purchase') && n('purchase') > 0, 'checkout funnel with drop-off');
    assert.equal(hits.filter((h) => h.kind === 'transaction').length, n('purchase'));
    const bots = sessions.filter((s) => botUserAgents.includes(s.visitor.ua)).length;
    assert.ok(bots > 0 && bots < sessions.length * 0.1, `${bots} bot sessions`);
    const landings = sessions.map((s) => s.hits[0]);
    assert.ok(landings.some((h) => h.url.includes('utm_campaign=')) && landings.some((h) => h.referrer?.includes('google.')) && landings.some((h) => !h.referrer));
    const paths = new Map<string, number>();
    for (const h of hits) if (h.kind === 'page_view') paths.set(new URL(h.url).pathname, (paths.get(new URL(h.url).pathname) ?? 0) + 1);
    const ranked = [...paths.values()].sort((a, b) => b - a);
    assert.ok(ranked[0] > 5 * ranked[ranked.length - 1], 'Zipf-like page popularity');
    assert.equal(new Set(sessions.map((s) => s.visitor.appId)).size, 2);
  });

  test('every hit passes the collector enrichment; IPs resolve to their country', () => {
    const ctx = createEnrichContext({});
    const sample = hits.filter((_, i) => i % 40 === 0);
    for (const h of sample) {
      const r = processTrackerEvent(hitToParams(h), { collectorTstamp: h.time, ip: h.ip, useragent: h.ua }, ctx);
      assert.ok(r.event, r.bad?.reason ?? '');
      const country = countries.find((c) => c.blocks.some((b) => h.ip.startsWith(b)))!;
      assert.equal(r.event.geo_country, country.code, h.ip);
      assert.equal(r.event.web_page_id, h.pageViewId);
      assert.equal(r.event.derived_tstamp, h.time);
      assert.equal(r.event.is_bot, botUserAgents.includes(h.ua));
    }
  });
});

describe('webcube demo', () => {
  let dir: string;
  before(async () => { dir = await mkdtemp(join(tmpdir(), 'demo-test-')); });
  after(async () => { await rm(dir, { recursive: true, force: true }); });

  test('history: N days of events through the import path, one dt partition per day', async () => {
    const now = Date.UTC(2026, 9, 20, 12);
    const out = join(dir, 'history');
    const r = await runDemo({ dataDir: out, days: 3, live: false, sessionsPerDay: 20, seed: 'hist', now: () => now });
    assert.ok(r.historyEvents > 100 && r.liveEvents === 0);
    const parts = (await readdir(join(out, 'events'))).sort();
    assert.deepEqual(parts, ['dt=2026-10-17', 'dt=2026-10-18', 'dt=2026-10-19', 'dt=2026-10-20']);
    assert.deepEqual(await countParquet(out), { total: r.historyEvents, days: 4 });
  });

  test('live: hits are sent through the node tracker to a running collector', async () => {
    const live = join(dir, 'live');
    const collector = await startCollector(loadCollectorConfig({
      WEBCUBE_DATA_DIR: live, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
      COLLECTOR_COOKIE_SECURE: 'false', COLLECTOR_COOKIE_SAMESITE: 'Lax', COLLECTOR_GEOIP_DB: 'none',
    }));
    try {
      const r = await runDemo({ dataDir: live, days: 0, live: true, collectorUrl: collector.url, liveSessionsPerMinute: 1200, durationMs: 1500, seed: 'live' });
      assert.ok(r.liveSessions > 0 && r.liveEvents > 0, JSON.stringify(r));
      await collector.store.flush();
      assert.equal((await countParquet(live)).total, r.liveEvents);
    } finally {
      await collector.close();
    }
  });
});

describe('bulk generator for benchmarks', () => {
  test('writes the requested volume, deterministically, with the demo shape', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'bulk-test-'));
    try {
      const opts = { events: 20_000, days: 2, endMs: Date.UTC(2026, 9, 20), seed: 7 };
      await generateBulkEvents({ dataDir: join(dir, 'a'), ...opts });
      await generateBulkEvents({ dataDir: join(dir, 'b'), ...opts });
      const db = await DuckDBInstance.create(':memory:');
      const conn = await db.connect();
      try {
        const stats = async (d: string) => (await conn.runAndReadAll(`SELECT count(*)::INTEGER AS n,
            count(DISTINCT domain_sessionid)::INTEGER AS s, count(DISTINCT dt)::INTEGER AS days,
            count(*) FILTER (event_name = 'add_to_cart')::INTEGER AS cart, count(*) FILTER (event_name = 'purchase')::INTEGER AS paid,
            count(*) FILTER (is_bot)::INTEGER AS bots, count(DISTINCT geo_country)::INTEGER AS countries,
            count(*) FILTER (web_page_id IS NULL)::INTEGER AS no_page, sum(hash(event_id))::VARCHAR AS digest
          FROM read_parquet('${join(dir, d)}/events/**/*.parquet', hive_partitioning = true)`)).getRowObjectsJS()[0]!;
        const a = await stats('a');
        assert.deepEqual(a, await stats('b'), 'same seed, same data');
        assert.ok(Math.abs((a.n as number) - 20_000) < 2_000, `${a.n} events`);
        assert.ok((a.cart as number) > (a.paid as number) && (a.paid as number) > 0);
        assert.ok((a.bots as number) > 0 && (a.countries as number) > 10 && a.no_page === 0 && (a.days as number) >= 2);
      } finally { conn.closeSync(); db.closeSync(); }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('demo config', () => {
  test('defaults, environment and flags', () => {
    const d = loadDemoConfig({});
    assert.deepEqual({ ...d }, {
      dataDir: './data', collectorUrl: 'http://127.0.0.1:8080', days: 30, live: true, seed: 'webcube',
      sessionsPerDay: 400, liveSessionsPerMinute: 6, sites: ['demo-site'], durationS: 0,
    });
    assert.ok(Object.isFrozen(d));
    const c = loadDemoConfig({ WEBCUBE_DEMO_DAYS: '7', WEBCUBE_DEMO_SITES: 'a,b' }, ['--no-live', '--days=2', '--collector', 'http://c:9']);
    assert.deepEqual([c.days, c.live, c.collectorUrl, c.sites], [2, false, 'http://c:9', ['a', 'b']]);
  });

  test('bad values name the variable', () => {
    assert.throws(() => loadDemoConfig({ WEBCUBE_DEMO_DAYS: '-1' }), /WEBCUBE_DEMO_DAYS/);
    assert.throws(() => loadDemoConfig({}, ['--sites', 'a b']), /WEBCUBE_DEMO_SITES/);
    assert.throws(() => loadDemoConfig({}, ['--frobnicate']), /unknown option --frobnicate/);
  });
});
