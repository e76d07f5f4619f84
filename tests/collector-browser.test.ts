// The official @snowplow/browser-tracker, bundled with esbuild, runs in Debian's Chromium on a
// page served from another origin: page view, activity pings, struct and self-describing events
// (POST, with CORS and credentials) and a GET pixel event land as rows.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser } from 'playwright-core';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
let h: CollectorHarness;
let site: Server;
let browser: Browser;

const entry = `
import { newTracker, trackPageView, trackStructEvent, trackSelfDescribingEvent, enableActivityTracking, setUserId } from '@snowplow/browser-tracker';
const endpoint = window.COLLECTOR;
newTracker('post', endpoint, { appId: 'browser-test', eventMethod: 'post', bufferSize: 1, contexts: { webPage: true } });
newTracker('get', endpoint, { appId: 'browser-get', eventMethod: 'get', contexts: { webPage: true } });
enableActivityTracking({ minimumVisitLength: 1, heartbeatDelay: 1 }, ['post']);
setUserId('browser-user', ['post']);
trackPageView({ title: 'Browser test page' }, ['post']);
trackPageView({ title: 'Via GET' }, ['get']);
trackStructEvent({ category: 'ui', action: 'click', label: 'buy', value: 7 }, ['post']);
trackSelfDescribingEvent({ event: { schema: 'iglu:com.acme/add_to_cart/jsonschema/1-0-0', data: { sku: 'A-1', qty: 2 } } }, ['post']);
`;

async function waitFor(what: string, check: () => Promise<boolean>, tries = 150): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

before(async () => {
  if (!existsSync(CHROMIUM)) return;
  h = await startHarness();
  const bundle = await build({ stdin: { contents: entry, resolveDir: process.cwd() }, bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent' });
  const js = bundle.outputFiles[0].text;
  site = createServer((req, res) => {
    if (req.url?.startsWith('/app.js')) { res.writeHead(200, { 'Content-Type': 'text/javascript' }); res.end(js); return; }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><html><head><title>Browser test page</title></head><body style="height:3000px">
      <script>window.COLLECTOR = ${JSON.stringify(h.collector.url)};</script><script src="/app.js"></script></body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  await h?.close();
});

test('browser tracker events land as rows with page, session, UA and web_page context', { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, async () => {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const pageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/shop?utm_source=test&utm_medium=e2e`;
  await page.goto(pageUrl);
  // Pings need real activity within the heartbeat: keep scrolling until one arrives.
  await waitFor('a page ping', async () => {
    await page.mouse.wheel(0, 200);
    await page.mouse.move(Math.random() * 500, Math.random() * 500);
    const rows = await h.events<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE event = 'page_ping'`).catch(() => [{ n: 0 }]);
    return rows[0].n > 0;
  });
  await page.close();

  type Row = Record<string, string | number | boolean | null>;
  const rows = await h.events<Row>(`SELECT event, app_id, platform, v_tracker, user_id, domain_userid, domain_sessionid, domain_sessionidx,
    network_userid, page_url, page_title, page_urlpath, mkt_source, mkt_medium, br_family, br_viewwidth, dvce_screenwidth, br_lang,
    os_timezone, useragent, web_page_id, se_action, se_value, event_name, unstruct_event, user_ipaddress, pp_yoffset_max, is_bot
    FROM events ORDER BY collector_tstamp`);
  const pv = rows.find((r) => r.event === 'page_view' && r.app_id === 'browser-test')!;
  assert.ok(pv, 'the POST page view arrived');
  assert.equal(pv.platform, 'web');
  assert.match(String(pv.v_tracker), /^js-4\./);
  assert.equal(pv.user_id, 'browser-user');
  assert.equal(pv.page_url, pageUrl);
  assert.equal(pv.page_title, 'Browser test page');
  assert.equal(pv.page_urlpath, '/shop');
  assert.equal(pv.mkt_source, 'test');
  assert.equal(pv.mkt_medium, 'e2e');
  assert.match(String(pv.br_family), /Chrom/);
  assert.equal(pv.br_viewwidth, 1280);
  assert.match(String(pv.domain_userid), /^[0-9a-f-]{36}$/);
  assert.match(String(pv.domain_sessionid), /^[0-9a-f-]{36}$/);
  assert.equal(pv.domain_sessionidx, 1);
  assert.match(String(pv.network_userid), /^[0-9a-f-]{36}$/, 'the sp cookie id');
  assert.match(String(pv.web_page_id), /^[0-9a-f-]{36}$/);
  assert.equal(pv.user_ipaddress, '127.0.0.x', 'the last octet anonymised by default');
  assert.equal(typeof pv.is_bot, 'boolean');

  const pings = rows.filter((r) => r.event === 'page_ping');
  assert.ok(pings.length >= 1);
  assert.equal(pings[0].web_page_id, pv.web_page_id, 'pings share the page view id');
  assert.equal(typeof pings[0].pp_yoffset_max, 'number');

  const se = rows.find((r) => r.event === 'struct')!;
  assert.equal(se.se_action, 'click');
  assert.equal(se.se_value, 7);
  assert.equal(se.domain_sessionid, pv.domain_sessionid);

  const ue = rows.find((r) => r.event === 'unstruct')!;
  assert.equal(ue.event_name, 'add_to_cart');
  assert.deepEqual(JSON.parse(String(ue.unstruct_event)).data.data, { sku: 'A-1', qty: 2 });

  const viaGet = rows.find((r) => r.app_id === 'browser-get')!;
  assert.ok(viaGet, 'the GET tracker event arrived through the pixel endpoint');
  assert.equal(viaGet.page_title, 'Via GET');
  assert.match(String(viaGet.network_userid), /^[0-9a-f-]{36}$/);
  // The first requests race for the cookie; a ping seconds later must carry one an earlier response set.
  const last = pings[pings.length - 1];
  assert.ok(rows.some((r) => r !== last && r.network_userid === last.network_userid), 'the sp cookie persisted across requests');
});
