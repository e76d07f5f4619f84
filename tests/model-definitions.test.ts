// The data model's definitions on hand-made edge cases, queried through the semantic layer
// (model loader → normalizeQuery → compileQuery → DuckDB driver over Parquet in the
// collector's layout): a session crossing midnight, a single page view with 15 s of pings
// (engaged, not a bounce), an event that reached the collector late and out of order, a bot
// session, and GA4's engagement rules (2 views, a key event, 10 s).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scenario } from '../collector/src/demo/scenario.ts';
import { hitToParams } from '../collector/src/demo/hit-to-params.ts';
import { writeEventsParquet } from '../collector/src/demo/write-parquet.ts';
import type { Hit } from '../collector/src/demo/hit.ts';
import { createEnrichContext, processTrackerEvent } from '../collector/src/process-event.ts';
import { loadModel, type CompiledModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';

const at = (iso: string) => Date.parse(`${iso}Z`);
const schemaPath = new URL('../schema', import.meta.url).pathname;

describe('data model definitions', () => {
  let dir: string;
  let driver: DuckDbDriver;
  let model: CompiledModel;
  const ids: Record<string, string> = {};

  async function load(query: Record<string, unknown>): Promise<Record<string, unknown>[]> {
    const nq = normalizeQuery(query, model);
    const c = compileQuery(model, nq, { dialect: 'duckdb' });
    const rows = await driver.query(c.sql, c.params);
    return rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [c.aliasToMember[k] ?? k, v])));
  }
  const one = async (query: Record<string, unknown>) => (await load(query))[0] ?? {};
  const day = (d: string) => ({ dateRange: [d, d] });

  before(async () => {
    const sc = new Scenario({ seed: 'definitions', appId: 'site' });
    const late = new Map<Hit, number>();

    // A session crossing midnight: two views, the second after 00:00 UTC.
    const night = sc.user({ country: 'DE' }).session(at('2026-10-14T23:50:00'), { referrer: 'https://www.google.com/search?q=webcube' });
    night.view('/night/start', { dwell: 30 });
    night.view('/night/end', { dwell: 0 }, at('2026-10-15T00:05:00'));
    ids.night = night.sid;

    // One page view, pings at 5 s and 15 s: 15 s engaged, so engaged and not a bounce.
    const pinged = sc.user({ country: 'FR' }).session(at('2026-10-15T10:00:00'));
    pinged.view('/pinged', { pings: [5, 15] });
    ids.pinged = pinged.sid;

    // One page view with a single ping: 5 s engaged, a bounce.
    const short = sc.user({ country: 'FR' }).session(at('2026-10-15T11:00:00'));
    short.view('/short', { pings: [5] });
    ids.short = short.sid;

    // Out of order: the landing view reaches the collector a day late (next dt partition),
    // after the session's second view. Event time decides, not arrival.
    const ooo = sc.user({ country: 'US' }).session(at('2026-10-15T12:00:00'), { query: 'utm_source=news&utm_medium=email&utm_campaign=launch' });
    const landing = ooo.view('/ooo/landing');
    ooo.view('/ooo/second', {}, at('2026-10-15T12:01:00'));
    late.set(landing, at('2026-10-16T09:00:00'));
    ids.ooo = ooo.sid;

    // A key event makes a one-view session engaged.
    const buyer = sc.user({ country: 'US' }).session(at('2026-10-15T13:00:00'));
    buyer.view('/checkout');
    buyer.event('purchase', { value: 10 });
    ids.buyer = buyer.sid;

    // A crawler: three quick views.
    const bot = sc.user({ bot: true }).session(at('2026-10-15T14:00:00'));
    bot.view('/'); bot.view('/pricing'); bot.view('/about');
    ids.bot = bot.sid;

    // The pinged visitor returns the next day (session index 2).
    const returning = pinged.user.session(at('2026-10-16T10:00:00'));
    returning.view('/again', { dwell: 25 });

    // Regression: a direct visit (no referrer) whose second view carries the site's own page as
    // referrer was attributed to that internal referrer (min_by skips NULLs).
    const direct = pinged.user.session(at('2026-10-17T10:00:00'));
    direct.view('/direct/one', { dwell: 20 });
    direct.view('/direct/two');
    ids.direct = direct.sid;

    // Regression: a page view without the web_page context (server-side and some mobile
    // trackers) was left out of page_views while sessions counted it.
    const contextless = pinged.user.session(at('2026-10-18T10:00:00'));
    const bare = new Set([contextless.view('/no-context/one'), contextless.view('/no-context/two')]);
    ids.contextless = contextless.sid;

    const ctx = createEnrichContext({ geoip: 'off' });
    const paramsOf = (h: Hit) => {
      const params = hitToParams(h);
      if (bare.has(h)) { delete params.co; delete params.cx; }
      return params;
    };
    const events = sc.hits.map((h) => processTrackerEvent(paramsOf(h), { collectorTstamp: late.get(h) ?? h.time, ip: h.ip, useragent: h.ua }, ctx).event!);
    dir = await mkdtemp(join(tmpdir(), 'model-definitions-'));
    await writeEventsParquet(dir, events);
    const loaded = await loadModel({ schemaPath });
    assert.deepEqual(loaded.errors, []);
    model = loaded.model;
    driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
  });
  after(async () => {
    await driver?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const session = async (sid: string, measures: string[], dimensions: string[] = []) => one({
    measures, dimensions, filters: [{ member: 'sessions.session_id', operator: 'equals', values: [sid] }],
  });

  test('a session crossing midnight belongs to the day it started', async () => {
    const byDay = await load({ measures: ['sessions.count'], timeDimensions: [{ dimension: 'sessions.start_time', granularity: 'day', dateRange: ['2026-10-14', '2026-10-16'] }], order: { 'sessions.start_time': 'asc' } });
    assert.deepEqual(byDay.map((r) => [r['sessions.start_time.day'], Number(r['sessions.count'])]), [
      ['2026-10-14T00:00:00.000', 1], ['2026-10-15T00:00:00.000', 4], ['2026-10-16T00:00:00.000', 1],
    ]);
    const s = await session(ids.night, ['sessions.page_views', 'sessions.engaged_sessions'], ['sessions.landing_page', 'sessions.exit_page', 'sessions.duration', 'sessions.source', 'sessions.medium', 'sessions.channel']);
    assert.equal(Number(s['sessions.page_views']), 2);
    assert.equal(s['sessions.landing_page'], '/night/start');
    assert.equal(s['sessions.exit_page'], '/night/end');
    assert.equal(Number(s['sessions.duration']), 15 * 60);
    assert.equal(Number(s['sessions.engaged_sessions']), 1);
    assert.deepEqual([s['sessions.source'], s['sessions.medium'], s['sessions.channel']], ['google', 'organic', 'Organic Search']);
    // Its second view counts on the 15th and is not an entrance there: the session started the day before.
    const views15 = await one({ measures: ['page_views.count', 'page_views.entrances', 'page_views.exits'], timeDimensions: [{ dimension: 'page_views.timestamp', ...day('2026-10-15') }], filters: [{ member: 'page_views.page_path', operator: 'equals', values: ['/night/end'] }] });
    assert.deepEqual([views15['page_views.count'], views15['page_views.entrances'], views15['page_views.exits']].map(Number), [1, 0, 1]);
  });

  test('one page view with 15 s of pings is engaged and not a bounce; 5 s is a bounce', async () => {
    const p = await session(ids.pinged, ['sessions.engaged_sessions', 'sessions.bounces', 'sessions.total_engagement_time'], ['sessions.page_view_count']);
    assert.deepEqual([p['sessions.engaged_sessions'], p['sessions.bounces'], p['sessions.total_engagement_time'], p['sessions.page_view_count']].map(Number), [1, 0, 15, 1]);
    const s = await session(ids.short, ['sessions.engaged_sessions', 'sessions.bounces', 'sessions.total_engagement_time']);
    assert.deepEqual([s['sessions.engaged_sessions'], s['sessions.bounces'], s['sessions.total_engagement_time']].map(Number), [0, 1, 5]);
    const pv = await one({ measures: ['page_views.total_engagement_time', 'page_views.count'], filters: [{ member: 'page_views.page_path', operator: 'equals', values: ['/pinged'] }] });
    assert.deepEqual([pv['page_views.total_engagement_time'], pv['page_views.count']].map(Number), [15, 1]);
  });

  test('an event that arrives late and out of order is placed by its own time', async () => {
    const s = await session(ids.ooo, ['sessions.count', 'sessions.page_views'], ['sessions.landing_page', 'sessions.exit_page', 'sessions.campaign', 'sessions.channel']);
    assert.equal(s['sessions.landing_page'], '/ooo/landing');
    assert.equal(s['sessions.exit_page'], '/ooo/second');
    assert.equal(s['sessions.campaign'], 'launch');
    assert.equal(s['sessions.channel'], 'Email');
    assert.equal(Number(s['sessions.page_views']), 2);
    // A query for the 15th alone still sees it, though it sits in the dt=2026-10-16 partition.
    const ev = await one({ measures: ['events.page_views'], timeDimensions: [{ dimension: 'events.timestamp', ...day('2026-10-15') }], filters: [{ member: 'events.session_id', operator: 'equals', values: [ids.ooo] }] });
    assert.equal(Number(ev['events.page_views']), 2);
    const landing = await one({ measures: ['page_views.entrances'], timeDimensions: [{ dimension: 'page_views.timestamp', ...day('2026-10-15') }], filters: [{ member: 'page_views.page_path', operator: 'equals', values: ['/ooo/landing'] }] });
    assert.equal(Number(landing['page_views.entrances']), 1);
  });

  test('a bot session is excluded by the humans segment and left out of sessions', async () => {
    const all = await one({ measures: ['events.sessions', 'events.page_views'], timeDimensions: [{ dimension: 'events.timestamp', ...day('2026-10-15') }] });
    const humans = await one({ measures: ['events.sessions', 'events.page_views'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', ...day('2026-10-15') }] });
    assert.equal(Number(all['events.sessions']) - Number(humans['events.sessions']), 1);
    assert.equal(Number(all['events.page_views']) - Number(humans['events.page_views']), 3);
    const bots = await one({ measures: ['events.count'], filters: [{ member: 'events.is_bot', operator: 'equals', values: ['true'] }] });
    assert.equal(Number(bots['events.count']), 3);
    const s = await session(ids.bot, ['sessions.count']);
    assert.equal(Number(s['sessions.count'] ?? 0), 0);
  });

  test('GA4 engagement: two views or a key event; bounce rate is 1 - engagement rate', async () => {
    const buyer = await session(ids.buyer, ['sessions.engaged_sessions', 'sessions.key_events']);
    assert.deepEqual([buyer['sessions.engaged_sessions'], buyer['sessions.key_events']].map(Number), [1, 1]);
    const ooo = await session(ids.ooo, ['sessions.engaged_sessions']);
    assert.equal(Number(ooo['sessions.engaged_sessions']), 1);
    // 15th: night (no), pinged (engaged), short (bounce), ooo (2 views), buyer (key event).
    const d = await one({ measures: ['sessions.count', 'sessions.engaged_sessions', 'sessions.engagement_rate', 'sessions.bounce_rate'], timeDimensions: [{ dimension: 'sessions.start_time', ...day('2026-10-15') }] });
    assert.deepEqual([d['sessions.count'], d['sessions.engaged_sessions']].map(Number), [4, 3]);
    assert.equal(Number(d['sessions.engagement_rate']), 3 / 4);
    assert.equal(Number(d['sessions.bounce_rate']), 1 / 4);
  });

  test("a direct session keeps its first event's (empty) referrer, not a later internal one", async () => {
    const s = await session(ids.direct, ['sessions.count'], ['sessions.source', 'sessions.medium', 'sessions.channel', 'sessions.referrer_host']);
    assert.deepEqual([s['sessions.source'], s['sessions.medium'], s['sessions.channel'], s['sessions.referrer_host']],
      ['(direct)', '(none)', 'Direct', '(direct)']);
  });

  test('page views without the web_page context count once each, as sessions count them', async () => {
    const pv = await one({ measures: ['page_views.count', 'page_views.entrances'], timeDimensions: [{ dimension: 'page_views.timestamp', ...day('2026-10-18') }] });
    assert.deepEqual([pv['page_views.count'], pv['page_views.entrances']].map(Number), [2, 1]);
    const s = await session(ids.contextless, ['sessions.page_views']);
    assert.equal(Number(s['sessions.page_views']), 2);
  });

  test('new vs returning follows the tracker session index', async () => {
    const d16 = await one({ measures: ['sessions.count', 'sessions.users', 'sessions.new_users', 'sessions.returning_users'], dimensions: ['sessions.user_type'], timeDimensions: [{ dimension: 'sessions.start_time', ...day('2026-10-16') }] });
    assert.deepEqual([d16['sessions.count'], d16['sessions.users'], d16['sessions.new_users'], d16['sessions.returning_users']].map(Number), [1, 1, 0, 1]);
    assert.equal(d16['sessions.user_type'], 'returning');
    const users = await one({ measures: ['users.count', 'users.returning_users'] });
    assert.deepEqual([users['users.count'], users['users.returning_users']].map(Number), [5, 1]);
  });
});
