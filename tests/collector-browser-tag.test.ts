// The README's first instruction, as near as the registry allows: a plain HTML page whose
// <script> tags load the UMD builds of @snowplow/browser-tracker and of its link-click and
// form-tracking plugins (activity tracking is part of the tracker in v4), in Chromium. Page
// views, page pings, an outbound link click and a form submit land as rows with the right
// columns, and the API reports them as GA4 does (views, engagement time, outbound clicks, form
// submits), with the truth taken from what the page did and sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import cube from '@cubejs-client/core';
import { loadServerConfig, startServer, type RunningServer } from '@webcube/server';
import { startHarness, type CollectorHarness } from './collector-harness.ts';
import { cachedNpmPackage } from './npm-package-cache.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = resolve(import.meta.dirname, '..');
// The registry serves these plugins up to 4.6.8 (peer @snowplow/browser-tracker ~4.6.8, which is
// why they are fetched here rather than installed beside the 4.10 tracker); same major version.
const PLUGIN_VERSION = '4.6.8';
// A desktop Chrome user agent: HeadlessChrome is (rightly) flagged as a bot and left out of GA's numbers.
const USER_AGENT = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let h: CollectorHarness;
let site: Server;
let browser: Browser;
let api: RunningServer;
const scripts = new Map<string, string>();

function page(collector: string, outboundUrl: string): string {
  return `<!doctype html><html><head><title>Tag test page</title>
<script src="/js/browser-tracker.umd.min.js"></script>
<script src="/js/link-click-tracking.umd.min.js"></script>
<script src="/js/form-tracking.umd.min.js"></script>
<script>
  var sp = window.snowplowBrowserTracking;
  sp.newTracker('sp', ${JSON.stringify(collector)}, {
    appId: 'tag-site', cookieSameSite: 'Lax', bufferSize: 1,
    plugins: [window.snowplowLinkClickTracking.LinkClickTrackingPlugin(), window.snowplowFormTracking.FormTrackingPlugin()],
  });
  sp.enableActivityTracking({ minimumVisitLength: 1, heartbeatDelay: 1 });
  sp.trackPageView();
  // Outbound links only, as GA4's enhanced measurement counts them.
  window.snowplowLinkClickTracking.enableLinkClickTracking({ options: { filter: function (a) { return a.hostname !== location.hostname; } } });
  window.snowplowFormTracking.enableFormTracking({ options: { events: ['submit_form'] } });
</script></head>
<body style="height:3000px">
  <a id="internal" href="/other">internal</a>
  <a id="outbound" href="${outboundUrl}" target="_blank">partner</a>
  <form id="signup" onsubmit="event.preventDefault()"><input name="email" id="email" value=""><button id="send" type="submit">Send</button></form>
</body></html>`;
}

before(async () => {
  if (!existsSync(CHROMIUM)) return;
  scripts.set('browser-tracker.umd.min.js', readFileSync(join(ROOT, 'node_modules/@snowplow/browser-tracker/dist/index.umd.min.js'), 'utf8'));
  for (const plugin of ['link-click-tracking', 'form-tracking']) {
    const dir = cachedNpmPackage(`@snowplow/browser-plugin-${plugin}`, PLUGIN_VERSION);
    scripts.set(`${plugin}.umd.min.js`, readFileSync(join(dir, 'dist/index.umd.min.js'), 'utf8'));
  }
  h = await startHarness();
  site = createServer((req, res) => {
    const js = req.url?.startsWith('/js/') ? scripts.get(req.url.slice(4)) : undefined;
    if (js) { res.writeHead(200, { 'Content-Type': 'text/javascript' }); res.end(js); return; }
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(page(h.collector.url, 'http://localhost:9/partner?ref=tag'));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  await api?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
  await h?.close();
});

async function waitFor(what: string, check: () => Promise<boolean>, tries = 200): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

type Row = Record<string, string | number | boolean | null>;

test('the script-tag tracker\'s page view, pings, outbound click and form submit land as rows and in the API', { skip: !existsSync(CHROMIUM) && 'no /usr/bin/chromium' }, async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, userAgent: USER_AGENT });
  const tab = await context.newPage();
  const errors: string[] = [];
  tab.on('pageerror', (e) => errors.push(e.message));
  const pageUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/landing?utm_source=tagtest&utm_medium=cpc`;
  await tab.goto(pageUrl);
  const count = async (where: string) => (await h.events<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE ${where}`).catch(() => [{ n: 0 }]))[0]!.n;
  await waitFor('page pings', async () => {
    await tab.mouse.wheel(0, 150);
    await tab.mouse.move(100 + Math.random() * 400, 100 + Math.random() * 400);
    return (await count(`event = 'page_ping'`)) >= 2;
  });
  // The internal link is filtered out; the outbound one opens in a new tab, so this page stays.
  await tab.evaluate(() => document.getElementById('internal')!.addEventListener('click', (e) => e.preventDefault()));
  await tab.click('#internal');
  const popup = context.waitForEvent('page');
  await tab.click('#outbound');
  await (await popup).close();
  await tab.fill('#email', 'someone@example.com');
  await tab.click('#send');
  await waitFor('the link click and the form submit', async () => (await count(`event_name IN ('link_click', 'submit_form')`)) >= 2);
  await context.close();
  assert.deepEqual(errors, []);

  const rows = await h.events<Row>(`SELECT event, event_name, event_vendor, event_format, event_version, app_id, page_url, page_title,
    page_urlpath, mkt_source, mkt_medium, web_page_id, domain_sessionid, v_tracker, useragent, br_family, is_bot, unstruct_event,
    pp_yoffset_max, epoch_ms(dvce_created_tstamp) AS dvce_ms FROM events WHERE app_id = 'tag-site' ORDER BY dvce_created_tstamp`);
  const pv = rows.filter((r) => r.event === 'page_view');
  assert.equal(pv.length, 1);
  assert.equal(pv[0]!.page_url, pageUrl);
  assert.equal(pv[0]!.page_title, 'Tag test page');
  assert.equal(pv[0]!.page_urlpath, '/landing');
  assert.equal(pv[0]!.mkt_source, 'tagtest');
  assert.equal(pv[0]!.mkt_medium, 'cpc');
  assert.match(String(pv[0]!.v_tracker), /^js-4\./);
  assert.equal(pv[0]!.useragent, USER_AGENT);
  assert.equal(pv[0]!.br_family, 'Chrome');
  assert.equal(pv[0]!.is_bot, false);

  const pings = rows.filter((r) => r.event === 'page_ping');
  assert.ok(pings.length >= 2);
  for (const p of pings) assert.equal(p.web_page_id, pv[0]!.web_page_id);
  assert.ok(pings.some((p) => Number(p.pp_yoffset_max) > 0), 'scrolling is recorded');

  const clicks = rows.filter((r) => r.event_name === 'link_click');
  assert.equal(clicks.length, 1, 'the outbound link only; the internal one is filtered out');
  assert.equal(clicks[0]!.event, 'unstruct');
  assert.equal(clicks[0]!.event_vendor, 'com.snowplowanalytics.snowplow');
  const click = JSON.parse(String(clicks[0]!.unstruct_event)).data;
  assert.match(click.schema, /^iglu:com\.snowplowanalytics\.snowplow\/link_click\/jsonschema\/1-0-/);
  assert.equal(click.data.targetUrl, 'http://localhost:9/partner?ref=tag');
  assert.equal(click.data.elementId, 'outbound');
  assert.equal(click.data.elementTarget, '_blank');

  const forms = rows.filter((r) => r.event_name === 'submit_form');
  assert.equal(forms.length, 1);
  const form = JSON.parse(String(forms[0]!.unstruct_event)).data;
  assert.match(form.schema, /^iglu:com\.snowplowanalytics\.snowplow\/submit_form\/jsonschema\/1-0-/);
  assert.equal(form.data.formId, 'signup');
  assert.deepEqual(form.data.elements.find((e: { name: string }) => e.name === 'email'), { name: 'email', value: 'someone@example.com', nodeName: 'INPUT', type: 'text' });
  for (const r of [...clicks, ...forms]) assert.equal(r.domain_sessionid, pv[0]!.domain_sessionid);

  // The API over the same files, read with the official Cube client as the dashboard does.
  api = await startServer(loadServerConfig({
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: 'tag-test-secret-0123456789abcdef', CUBEJS_SCHEMA_PATH: join(ROOT, 'schema'),
    WEBCUBE_DATA_DIR: h.dir, WEBCUBE_DASHBOARD_DIR: join(h.dir, 'no-dashboard'), CUBEJS_CACHE_TTL: '0', CUBEJS_LOG_LEVEL: 'error',
  }), { options: {} });
  const { SignJWT } = await import('jose');
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h')
    .sign(new TextEncoder().encode('tag-test-secret-0123456789abcdef'));
  const client = cube(token, { apiUrl: `${api.url}/cubejs-api/v1` });
  const tagSite = [{ member: 'events.app_id', operator: 'equals' as const, values: ['tag-site'] }];
  const events = (await client.load({ measures: ['events.page_views', 'events.outbound_clicks', 'events.form_submits'], filters: tagSite })).tablePivot()[0]!;
  assert.deepEqual(events, { 'events.page_views': '1', 'events.outbound_clicks': '1', 'events.form_submits': '1' });

  // GA4's engagement time from the pings, by the model's documented rule (schema/README.md):
  // per page view, 10 s per distinct 10-second window of pings after the first, plus 5 s.
  const windows = new Set(pings.map((p) => Math.floor(Number(p.dvce_ms) / 10_000))).size;
  const sessions = (await client.load({
    measures: ['sessions.count', 'sessions.page_views', 'sessions.total_engagement_time'],
    filters: [{ member: 'sessions.app_id', operator: 'equals', values: ['tag-site'] }],
  })).tablePivot()[0]!;
  assert.deepEqual(sessions, { 'sessions.count': '1', 'sessions.page_views': '1', 'sessions.total_engagement_time': String(10 * (windows - 1) + 5) });
});
