// Funnels on real DuckDB over Parquet written in the collector's layout: strict order, one count
// per user and step, the conversion window, bots and other sites left out, breakdown, comparison
// range, tenant tokens, and the job lifecycle (submit → poll → list).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Scenario } from '../../../collector/src/demo/scenario.ts';
import { hitToParams } from '../../../collector/src/demo/hit-to-params.ts';
import { writeEventsParquet } from '../../../collector/src/demo/write-parquet.ts';
import { createEnrichContext, processTrackerEvent } from '../../../collector/src/process-event.ts';
import type { AtomicEvent } from '../../../collector/src/atomic/columns.ts';
import { DuckDbDriver } from '../drivers/duckdb-driver.ts';
import { createFunnelRoutes, type FunnelRouteContext } from './funnel-routes.ts';
import { buildFunnelSql } from './funnel-sql.ts';
import { getFunnelDialect } from './funnel-dialect.ts';
import { normalizeFunnelRequest } from './funnel-request.ts';

const T = Date.UTC(2026, 9, 14, 10, 0, 0);
const MIN = 60_000;
const steps = [{ name: 'Product', page: '/products/*' }, { name: 'Cart', event: 'add_to_cart' }, { name: 'Paid', event: 'purchase' }];
const body = { steps, window: '1 hour', dateRange: ['2026-10-14', '2026-10-14'] as [string, string], appId: 'shop' };

function buildTraffic(): { events: AtomicEvent[]; expect: { c: number[]; d2: number[]; d3: number[] } } {
  const sc = new Scenario({ seed: 'funnel-test', appId: 'shop' });
  const times: Record<string, number[]> = {};
  const mark = (u: string, k: number, t: number) => { (times[u] ??= [])[k] = t; };
  // u1: completes every step.
  let s = sc.user({ device: 'mobile' }).session(T);
  mark('u1', 0, s.view('/products/pro-plan', { dwell: 20 }).time);
  mark('u1', 1, s.event('add_to_cart', { sku: 'pro' }, 30_000).time);
  mark('u1', 2, s.event('purchase', { value: 99 }, 90_000).time);
  // u2: drops after the cart; views a second product later (counted once at step 1).
  s = sc.user({ device: 'desktop' }).session(T + 5 * MIN);
  mark('u2', 0, s.view('/products/starter-kit').time);
  mark('u2', 1, s.event('add_to_cart', {}, 45_000).time);
  s.view('/products/team-plan');
  // u3: buys without a cart (skipping step 2 does not complete step 3).
  s = sc.user({ device: 'desktop' }).session(T + 10 * MIN);
  mark('u3', 0, s.view('/products/enterprise').time);
  s.event('purchase', {}, 60_000);
  // u4: cart in time, purchase 70 minutes after step 1 (window miss).
  s = sc.user({ device: 'mobile' }).session(T + 15 * MIN);
  mark('u4', 0, s.view('/products/hosting').time);
  mark('u4', 1, s.event('add_to_cart', {}, 10 * MIN).time);
  s.event('purchase', {}, 60 * MIN);
  // u5: cart before the product (out of order), then the product: only step 1.
  s = sc.user({ device: 'tablet' }).session(T + 20 * MIN);
  s.view('/pricing');
  s.event('add_to_cart', {}, 5000);
  mark('u5', 0, s.view('/products/training').time);
  // u6: a crawler doing everything: excluded.
  s = sc.user({ bot: true }).session(T + 25 * MIN);
  s.view('/products/pro-plan'); s.event('add_to_cart'); s.event('purchase');
  // u7: another site: excluded by appId.
  s = sc.user({ appId: 'blog' }).session(T + 30 * MIN);
  s.view('/products/pro-plan'); s.event('add_to_cart'); s.event('purchase');
  // u8: step 1 the day before the range: not in the funnel.
  s = sc.user().session(T - 20 * 60 * MIN);
  s.view('/products/pro-plan');
  s.event('add_to_cart', {}, 19 * 60 * MIN + 50 * MIN);
  s.event('purchase', {}, 1000);
  // u9: pages that are not products, and a product path lookalike.
  s = sc.user().session(T + 40 * MIN);
  s.view('/productsx/a'); s.event('add_to_cart');

  const ctx = createEnrichContext({ geoip: 'off' });
  const events = sc.hits.map((h) => processTrackerEvent(hitToParams(h), { collectorTstamp: h.time, ip: h.ip, useragent: h.ua }, ctx).event!);
  const users = Object.values(times);
  return {
    events,
    expect: {
      c: [0, 1, 2].map((k) => users.filter((u) => u[k] !== undefined).length),
      d2: users.filter((u) => u[1] !== undefined).map((u) => (u[1] - u[0]) / 1000),
      d3: users.filter((u) => u[2] !== undefined).map((u) => (u[2] - u[1]) / 1000),
    },
  };
}

describe('funnels on DuckDB', () => {
  let dir: string;
  let driver: DuckDbDriver;
  let ctx: FunnelRouteContext;
  let truth: ReturnType<typeof buildTraffic>['expect'];
  const routes = createFunnelRoutes();

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'funnel-test-'));
    const traffic = buildTraffic();
    truth = traffic.expect;
    await writeEventsParquet(dir, traffic.events);
    driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
    ctx = { driver, dialect: 'duckdb', securityContext: {} };
  });
  after(async () => {
    routes.close();
    await driver?.close();
    await rm(dir, { recursive: true, force: true });
  });

  const run = async (b: unknown, c: FunnelRouteContext = ctx) => {
    const job = await routes.submit(b, c);
    await routes.idle();
    return routes.get({ id: job.id }, c);
  };

  test('counts each user once per step, in strict order, inside the window', async () => {
    const r = await run(body);
    assert.equal(r.status, 'done', r.error ?? '');
    assert.deepEqual(truth.c, [5, 3, 1]);
    assert.deepEqual(r.steps!.map((s) => s.completed), truth.c);
    assert.deepEqual(r.steps!.map((s) => s.entered), [5, 5, 3]);
    assert.deepEqual(r.steps!.map((s) => s.conversionFromPrevious), [1, 3 / 5, 1 / 3]);
    assert.deepEqual(r.steps!.map((s) => s.conversionFromFirst), [1, 3 / 5, 1 / 5]);
  });

  test('median time to convert is measured from the previous step', async () => {
    const r = await run(body);
    const median = (xs: number[]) => { const v = [...xs].sort((a, b) => a - b); const m = v.length >> 1; return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2; };
    assert.equal(r.steps![0].medianSecondsToConvert, null);
    assert.equal(r.steps![1].medianSecondsToConvert, median(truth.d2));
    assert.equal(r.steps![2].medianSecondsToConvert, median(truth.d3));
  });

  test('a longer window lets the late purchase through', async () => {
    const r = await run({ ...body, windowSeconds: 2 * 3600 });
    assert.deepEqual(r.steps!.map((s) => s.completed), [5, 3, 2]);
  });

  test('breakdown by device type splits the same users', async () => {
    const r = await run({ ...body, breakdown: 'device_type' });
    const by = Object.fromEntries(r.breakdown!.map((b) => [b.value, b.steps.map((s) => s.completed)]));
    assert.deepEqual(by, { mobile: [2, 2, 1], desktop: [2, 1, 0], tablet: [1, 0, 0] });
    assert.deepEqual(r.steps!.map((s) => s.completed), [5, 3, 1]);
  });

  test('step filters narrow a step; a comparison range runs the same funnel', async () => {
    const filtered = await run({ ...body, steps: [steps[0], { ...steps[1], filters: [{ property: 'sku', operator: 'equals', values: ['pro'] }] }, steps[2]] });
    assert.deepEqual(filtered.steps!.map((s) => s.completed), [5, 1, 1]);
    const compared = await run({ ...body, compareDateRange: ['2026-10-13', '2026-10-13'] });
    assert.deepEqual(compared.compare!.steps.map((s) => s.completed), [1, 0, 0]);
    assert.deepEqual(compared.compare!.dateRange, ['2026-10-13T00:00:00.000', '2026-10-13T23:59:59.999']);
  });

  test('without an appId every site counts; a site token is held to its sites', async () => {
    const all = await run({ ...body, appId: undefined });
    assert.deepEqual(all.steps!.map((s) => s.completed), [6, 4, 2]);
    const tenant = { ...ctx, securityContext: { app_id: 'blog' } };
    const blog = await run({ ...body, appId: undefined }, tenant);
    assert.deepEqual(blog.steps!.map((s) => s.completed), [1, 1, 1]);
    await assert.rejects(routes.submit(body, tenant), { status: 403 });
    await assert.rejects(routes.get({ id: all.id }, tenant), { status: 404 });
    const listed = await routes.list({}, tenant);
    assert.ok(listed.funnels.length >= 1 && listed.funnels.every((f) => f.request.appId === undefined && f.status === 'done'));
    assert.ok((await routes.list({}, ctx)).funnels.some((f) => f.id === all.id));
  });

  test('bad requests are user errors naming the field', async () => {
    await assert.rejects(routes.submit({ ...body, steps: [steps[0]] }, ctx), { status: 400, message: /steps/ });
    await assert.rejects(routes.submit({ ...body, breakdown: 'password' }, ctx), { status: 400, message: /breakdown/ });
    await assert.rejects(routes.submit({ ...body, window: 'forever' }, ctx), { status: 400, message: /window/ });
    await assert.rejects(routes.submit({ ...body, steps: [{ event: 'a', page: '/b' }, steps[1]] }, ctx), { status: 400, message: /exactly one/ });
  });

  test('Presto, Trino and Athena get their own spellings and ? placeholders', () => {
    const spec = normalizeFunnelRequest({ ...body, steps: [steps[0], { ...steps[1], filters: [{ property: 'sku', operator: 'equals', values: ['pro'] }] }], breakdown: 'country' });
    for (const dialect of ['presto', 'trino', 'athena']) {
      const { sql, params } = buildFunnelSql(spec, spec.range, getFunnelDialect(dialect), ['shop']);
      assert.ok(!/\$\d/.test(sql) && sql.split('?').length - 1 === params.length, dialect);
      for (const s of ['approx_percentile(', "date_add('millisecond'", "from_iso8601_timestamp(concat(?, 'Z'))", 'json_extract_scalar(e.unstruct_event, ?)', 'GROUPING SETS ((b), ())']) assert.ok(sql.includes(s), `${dialect}: ${s}`);
    }
    const duck = buildFunnelSql(spec, spec.range, getFunnelDialect('duckdb'), ['shop']);
    assert.ok(duck.sql.includes('quantile_cont(') && duck.sql.includes('json_extract_string(e.unstruct_event, $'));
    assert.throws(() => getFunnelDialect('mysql'), /not supported/);
  });

  test('values are bound parameters, never SQL text', () => {
    const spec = normalizeFunnelRequest({ ...body, steps: [{ event: "x' OR 1=1 --" }, { page: "/a'b*" }] });
    for (const dialect of ['duckdb', 'trino', 'athena']) {
      const { sql, params } = buildFunnelSql(spec, spec.range, getFunnelDialect(dialect), ['shop']);
      assert.ok(!sql.includes("x' OR"), dialect);
      assert.ok(params.includes("x' OR 1=1 --") && params.includes("/a'b%"), dialect);
    }
  });
});
