// Consent and cookieless tracking through the official browser tracker in Debian's Chromium:
// the consent plugin's grant and withdrawal, anonymous tracking with server anonymisation, and
// the cookieless mode. The expected rows come from the requests the tracker sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync } from 'node:fs';
import { build } from 'esbuild';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

const CHROMIUM = '/usr/bin/chromium';
const ZERO = '00000000-0000-0000-0000-000000000000';
const skip = !existsSync(CHROMIUM) && 'no /usr/bin/chromium';

// window.TRACKER picks the tracker's configuration; window.sp lets the test act as the page would.
const entry = `
import { newTracker, trackPageView, trackStructEvent, setUserId } from '@snowplow/browser-tracker';
import { ConsentPlugin, trackConsentGranted, trackConsentWithdrawn } from '@snowplow/browser-plugin-consent';
const modes = {
  consent: { plugins: [ConsentPlugin()], contexts: { session: true } },
  anonymous: { anonymousTracking: { withServerAnonymisation: true } },
  cookieless: { anonymousTracking: { withSessionTracking: true }, stateStorageStrategy: 'localStorage' },
};
newTracker('sp', window.COLLECTOR, { appId: 'privacy-' + window.TRACKER, eventMethod: 'post', bufferSize: 1, ...modes[window.TRACKER] });
setUserId('alice');
window.sp = {
  pageView: (title) => trackPageView({ title }),
  click: (label) => trackStructEvent({ category: 'ui', action: 'click', label }),
  grant: () => trackConsentGranted({ id: 'privacy-policy', version: '3', name: 'Privacy policy', expiry: '2030-01-01T00:00:00.000Z' }),
  withdraw: () => trackConsentWithdrawn({ all: true, id: 'privacy-policy', version: '3' }),
};
`;

interface Sent { readonly params: Record<string, string>; readonly anonymousHeader: boolean }
interface Watched { readonly page: Page; readonly sent: Sent[]; readonly setCookies: string[] }

let site: Server;
let js: string;
let browser: Browser;
let siteUrl: string;

async function waitFor(what: string, check: () => Promise<boolean>, tries = 150): Promise<void> {
  for (let i = 0; i < tries; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A page of `mode` in `context` that records every event the tracker sends to `h` and every Set-Cookie it gets back. */
async function open(context: BrowserContext, h: CollectorHarness, mode: string, into?: Watched): Promise<Watched> {
  const page = await context.newPage();
  const w: Watched = { page, sent: into?.sent ?? [], setCookies: into?.setCookies ?? [] };
  page.on('request', (req) => {
    if (!req.url().startsWith(h.collector.url) || req.method() !== 'POST') return;
    const body = JSON.parse(req.postData() ?? '{}') as { data?: Record<string, string>[] };
    const anonymousHeader = req.headers()['sp-anonymous'] !== undefined;
    for (const params of body.data ?? []) w.sent.push({ params, anonymousHeader });
  });
  page.on('response', async (res) => {
    if (!res.url().startsWith(h.collector.url)) return;
    const cookie = await res.headerValue('set-cookie');
    if (cookie) w.setCookies.push(...cookie.split('\n'));
  });
  await page.goto(`${siteUrl}/?collector=${encodeURIComponent(h.collector.url)}&tracker=${mode}`);
  return w;
}

type Row = Record<string, string | number | boolean | null>;
const sessionContext = (json: unknown) => (JSON.parse(String(json)) as { data: { schema: string; data: Record<string, unknown> }[] }).data
  .find((c) => c.schema.includes('/client_session/'))?.data;
const rowsOf = (h: CollectorHarness, appId: string) => h.events<Row>(`SELECT event_id, event, event_name, user_id, domain_userid,
  domain_sessionid, network_userid, user_ipaddress, unstruct_event, contexts, page_title FROM events WHERE app_id = '${appId}'`).catch(() => [] as Row[]);

/** Runs `act` on the page and waits until every event sent so far is a row. */
async function send(h: CollectorHarness, w: Watched, appId: string, act: string): Promise<void> {
  await w.page.evaluate(act);
  await waitFor(`the rows of ${act}`, async () => (await rowsOf(h, appId)).length >= w.sent.length && w.sent.length > 0);
}

/** The collector's cookies (cookies ignore ports, so the page's own _sp_* cookies for 127.0.0.1 are left out). */
const collectorCookies = async (context: BrowserContext, h: CollectorHarness) =>
  (await context.cookies(h.collector.url)).map((c) => c.name).filter((n) => !n.startsWith('_sp_')).sort();

before(async () => {
  if (skip) return;
  const bundle = await build({ stdin: { contents: entry, resolveDir: process.cwd() }, bundle: true, write: false, format: 'iife', platform: 'browser', logLevel: 'silent' });
  js = bundle.outputFiles[0].text;
  site = createServer((req, res) => {
    if (req.url?.startsWith('/app.js')) { res.writeHead(200, { 'Content-Type': 'text/javascript' }); res.end(js); return; }
    const q = new URL(req.url ?? '/', 'http://x').searchParams;
    res.writeHead(200, { 'Content-Type': 'text/html' });
    res.end(`<!doctype html><html><head><title>Privacy test</title></head><body>
      <script>window.COLLECTOR = ${JSON.stringify(q.get('collector'))}; window.TRACKER = ${JSON.stringify(q.get('tracker'))};</script>
      <script src="/app.js"></script></body></html>`);
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'] });
});

after(async () => {
  await browser?.close();
  await new Promise<void>((r) => (site ? site.close(() => r()) : r()));
});

test('consent plugin: granted → identifiers; withdrawn → that event and every later one without user_id, domain_userid, network_userid or IP', { skip }, async () => {
  const h = await startHarness();
  const context = await browser.newContext();
  try {
    const app = 'privacy-consent';
    const w = await open(context, h, 'consent');
    await send(h, w, app, 'sp.grant()');
    await send(h, w, app, 'sp.pageView("granted")');
    const nuid = (await context.cookies(h.collector.url)).find((c) => c.name === 'sp')?.value;
    assert.match(nuid ?? '', /^[0-9a-f-]{36}$/, 'the collector set its network id cookie');
    const granted = w.sent.length;
    await send(h, w, app, 'sp.withdraw()');
    await send(h, w, app, 'sp.pageView("after withdrawal")');
    await send(h, w, app, 'sp.click("after withdrawal")');
    assert.deepEqual(await collectorCookies(context, h), ['sp_optout'], 'the sp cookie is gone; the opt-out is remembered');
    await w.page.close();
    // A later visit: the page tracks as before (user id set, its first-party cookie id sent); the collector still strips them.
    const again = await open(context, h, 'consent', w);
    await send(h, again, app, 'sp.pageView("next visit")');
    await again.page.close();

    const rows = new Map((await rowsOf(h, app)).map((r) => [r.event_id, r]));
    assert.equal(rows.size, w.sent.length, 'every event sent is one row');
    for (const [i, { params }] of w.sent.entries()) {
      const row = rows.get(params.eid)!;
      assert.ok(row, `event ${params.eid} stored`);
      assert.equal(params.uid, 'alice', 'the tracker sent the user id every time');
      assert.match(params.duid, /^[0-9a-f-]{36}$/, 'and its domain user id');
      const sentSession = sessionContext(params.co);
      assert.equal(sentSession?.userId, params.duid, 'the client_session context carries the domain user id');
      if (i < granted) {
        assert.deepEqual(sessionContext(row.contexts), sentSession);
        assert.equal(row.user_id, params.uid);
        assert.equal(row.domain_userid, params.duid);
        assert.equal(row.user_ipaddress, '127.0.0.x', 'the IP is kept with its last octet anonymised');
      } else {
        assert.deepEqual([row.user_id, row.domain_userid, row.network_userid, row.user_ipaddress], [null, null, ZERO, null], `${row.event} ${row.page_title ?? ''}`);
        assert.deepEqual(sessionContext(row.contexts), { ...sentSession, userId: ZERO, previousSessionId: null });
      }
      assert.equal(row.domain_sessionid, params.sid, 'the session is kept, so the event still counts');
    }
    assert.equal(rows.get(w.sent[1].params.eid)!.network_userid, nuid);

    // The consent events are rows with the payload and the consent document context the plugin sent.
    for (const name of ['consent_granted', 'consent_withdrawn']) {
      const sent = w.sent.find((s) => s.params.ue_pr?.includes(`/${name}/`))!;
      const row = rows.get(sent.params.eid)!;
      assert.equal(row.event_name, name);
      assert.deepEqual(JSON.parse(String(row.unstruct_event)), JSON.parse(sent.params.ue_pr));
      const docs = (JSON.parse(String(row.contexts)) as { data: { schema: string; data: unknown }[] }).data.filter((c) => c.schema.includes('/consent_document/'));
      const sentDocs = (JSON.parse(sent.params.co) as { data: { schema: string; data: unknown }[] }).data.filter((c) => c.schema.includes('/consent_document/'));
      assert.deepEqual(docs, sentDocs);
      assert.equal(sentDocs.length, 1);
    }
  } finally {
    await context.close();
    await h.close();
  }
});

test('anonymous tracking with server anonymisation: SP-Anonymous sent, no cookie set, no IP, the anonymous network id', { skip }, async () => {
  const h = await startHarness();
  const context = await browser.newContext();
  try {
    const app = 'privacy-anonymous';
    const w = await open(context, h, 'anonymous');
    await send(h, w, app, 'sp.pageView("anonymous")');
    await send(h, w, app, 'sp.click("anonymous")');
    assert.ok(w.sent.every((s) => s.anonymousHeader), 'the tracker sent SP-Anonymous');
    assert.deepEqual(w.setCookies, [], 'no Set-Cookie from the collector');
    assert.deepEqual(await collectorCookies(context, h), []);
    const rows = await rowsOf(h, app);
    assert.equal(rows.length, w.sent.length);
    for (const row of rows) {
      const sent = w.sent.find((s) => s.params.eid === row.event_id)!.params;
      assert.deepEqual([row.user_ipaddress, row.network_userid], [null, ZERO]);
      assert.equal(row.user_id, sent.uid ?? null);
      assert.equal(row.domain_userid, sent.duid || null);
    }
  } finally {
    await context.close();
    await h.close();
  }
});

test('cookieless mode: no Set-Cookie, no cookie anywhere, and rows still counted as sessions', { skip }, async () => {
  const h = await startHarness({ COLLECTOR_COOKIE_ENABLED: 'false' });
  const context = await browser.newContext();
  try {
    const app = 'privacy-cookieless';
    const w = await open(context, h, 'cookieless');
    await send(h, w, app, 'sp.pageView("first")');
    await w.page.close();
    const again = await open(context, h, 'cookieless', w);
    await send(h, again, app, 'sp.pageView("second")');
    await send(h, again, app, 'sp.click("second")');
    assert.deepEqual(w.setCookies, [], 'the collector set no cookie');
    assert.deepEqual(await context.cookies(), [], 'neither the site nor the collector holds a cookie');

    const rows = await rowsOf(h, app);
    assert.equal(rows.length, w.sent.length);
    for (const row of rows) {
      assert.deepEqual([row.network_userid, row.domain_userid, row.user_id], [null, null, null]);
      assert.equal(row.user_ipaddress, '127.0.0.x');
    }
    const sentSessions = new Set(w.sent.map((s) => s.params.sid));
    assert.equal(sentSessions.size, 1, 'the tracker kept one session across the two page loads');
    assert.deepEqual(new Set(rows.map((r) => r.domain_sessionid)), sentSessions, 'every row carries the session it was sent in');
  } finally {
    await context.close();
    await h.close();
  }
});
