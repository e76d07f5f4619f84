// Cookieless mode end to end: the official node tracker sends sessions without a domain_userid
// (as the browser tracker does with anonymous tracking) beside consenting visitors who have one,
// to a collector with COLLECTOR_COOKIE_ENABLED=false; the shipped model, read through the API
// with the official Cube client, counts sessions exactly and each id-less session as one user.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import cube, { type CubeApi } from '@cubejs-client/core';
import { buildPageView, buildSelfDescribingEvent, newTracker } from '@snowplow/node-tracker';
import { loadServerConfig } from '../server/src/config.ts';
import { startServer, type RunningServer } from '../server/src/api/server-command.ts';
import { signToken } from '../server/src/auth/sign-token.ts';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

const SECRET = 'cookieless-secret';
const APP = 'cookieless-site';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0.0.0 Safari/537.36';

interface SentSession { readonly sid: string; readonly duid?: string; readonly views: number; readonly purchase: boolean }

let h: CollectorHarness;
let server: RunningServer;
let api: CubeApi;
const sent: SentSession[] = [];

before(async () => {
  h = await startHarness({ COLLECTOR_COOKIE_ENABLED: 'false' });
  const url = new URL(h.collector.url);
  const failures: unknown[] = [];
  // 7 anonymous sessions, and 2 consenting browsers with 2 sessions each.
  const known = [randomUUID(), randomUUID()];
  const plan: Omit<SentSession, 'sid'>[] = [
    ...Array.from({ length: 7 }, (_, i) => ({ views: 1 + (i % 3), purchase: i === 2 })),
    ...known.flatMap((duid) => [{ duid, views: 2, purchase: false }, { duid, views: 1, purchase: true }]),
  ];
  const now = Date.now() - 3_600_000;
  for (const [i, p] of plan.entries()) {
    const s: SentSession = { sid: randomUUID(), ...p };
    // A tracker per session, as a browser tab has: one without a domain user id sends none.
    const t = newTracker({ namespace: 'cookieless', appId: APP }, {
      endpoint: url.hostname, port: Number(url.port), protocol: 'http', bufferSize: 10, onRequestFailure: (f) => { failures.push(f); },
    });
    t.setUseragent(UA);
    t.setSessionId(s.sid);
    t.setSessionIndex(1);
    if (s.duid) t.setDomainUserId(s.duid);
    for (let v = 0; v < s.views; v++) t.track(buildPageView({ pageUrl: `https://${APP}.example/p${v}`, pageTitle: `P${v}` }), [], now + i * 60_000 + v * 1000);
    if (s.purchase) t.track(buildSelfDescribingEvent({ event: { schema: 'iglu:com.acme/purchase/jsonschema/1-0-0', data: { value: 10 } } }), [], now + i * 60_000 + 30_000);
    await t.flush();
    sent.push(s);
  }
  assert.deepEqual(failures, []);
  await h.collector.store.flush();

  const config = loadServerConfig({
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: SECRET, CUBEJS_SCHEMA_PATH: new URL('../schema', import.meta.url).pathname,
    WEBCUBE_DATA_DIR: h.dir, WEBCUBE_CONFIG_FILE: new URL('../cube.js', import.meta.url).pathname, WEBCUBE_DASHBOARD_DIR: join(h.dir, 'none'),
    CUBEJS_DEV_MODE: 'false', CUBEJS_REFRESH_WORKER: 'false',
  });
  server = await startServer(config);
  api = cube(await signToken({ app_id: APP }, SECRET, { expiresIn: '1h' }), { apiUrl: `${server.url}/cubejs-api/v1` });
});

after(async () => {
  await server?.close();
  await h?.close();
});

const load = async (measures: string[]) => (await api.load({ measures } as never)).tablePivot()[0] as Record<string, unknown>;

test('no network id is stored; sessions are exact and a session without a domain_userid is one user', async () => {
  const rows = await h.events<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE network_userid IS NOT NULL`);
  assert.equal(rows[0].n, 0, 'the collector handed out no network id');
  const anonymous = sent.filter((s) => !s.duid).length;
  const browsers = new Set(sent.flatMap((s) => (s.duid ? [s.duid] : []))).size;
  const users = anonymous + browsers;

  const ev = await load(['events.users', 'events.sessions']);
  assert.equal(Number(ev['events.sessions']), sent.length);
  assert.equal(Number(ev['events.users']), users);
  const se = await load(['sessions.count', 'sessions.users', 'sessions.new_users']);
  assert.equal(Number(se['sessions.count']), sent.length);
  assert.equal(Number(se['sessions.users']), users);
  assert.equal(Number(se['sessions.new_users']), users, 'every session was sent with index 1');
  const pv = await load(['page_views.count', 'page_views.users']);
  assert.equal(Number(pv['page_views.count']), sent.reduce((n, s) => n + s.views, 0));
  assert.equal(Number(pv['page_views.users']), users);
  const us = await load(['users.count']);
  assert.equal(Number(us['users.count']), users);
});
