import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCollectorConfig } from '../config.ts';
import { startCollector, type RunningCollector } from '../collector-command.ts';
import { MemoryStore } from './memory-store.ts';

const store = new MemoryStore();
let c: RunningCollector;
const schema = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const ev = (extra: Record<string, string> = {}) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', url: 'https://site.example/', ...extra });
const post = (data: unknown[], headers: Record<string, string> = {}) => fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, {
  method: 'POST', headers: { 'Content-Type': 'application/json; charset=UTF-8', ...headers }, body: JSON.stringify({ schema, data }),
});

before(async () => {
  const config = loadCollectorConfig({ COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_TRUST_PROXY: 'true',
    COLLECTOR_COOKIE_DOMAINS: 'site.example', COLLECTOR_GEOIP_DB: 'off', COLLECTOR_BATCH_TOKEN: 'secret-token-0123456789',
    COLLECTOR_PATHS: '/acme/collect=/com.snowplowanalytics.snowplow/tp2', COLLECTOR_REDIRECTS_ENABLED: 'true', COLLECTOR_REDIRECT_DOMAINS: 'shop.example' });
  c = await startCollector(config, { store });
});
after(async () => {
  await c.close();
  assert.ok(store.closed, 'closing the collector closes its store');
});

test('tp2 POST: 200 ok, CORS echoes the Origin with credentials, sp cookie set and used as network_userid', async () => {
  const before = store.good.length;
  const res = await post([ev(), ev({ e: 'pp' })], { Origin: 'https://www.site.example' });
  assert.equal(res.status, 200);
  assert.equal(await res.text(), 'ok');
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://www.site.example');
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  const cookie = res.headers.get('set-cookie') ?? '';
  assert.match(cookie, /^sp=[0-9a-f-]{36}; Path=\/; Max-Age=31536000; Expires=.*; Domain=site\.example; SameSite=None; Secure; HttpOnly$/);
  const nuid = /^sp=([^;]+)/.exec(cookie)![1];
  const added = store.good.slice(before);
  assert.deepEqual(added.map((e) => e.event), ['page_view', 'page_ping']);
  assert.ok(added.every((e) => e.network_userid === nuid));
  const again = await post([ev()], { Cookie: `sp=${nuid}` });
  assert.match(again.headers.get('set-cookie') ?? '', new RegExp(`^sp=${nuid};`), 'an existing cookie is kept and its expiry renewed');
});

test('a custom path configured in COLLECTOR_PATHS works like the standard one (tracker postPath)', async () => {
  const before = store.good.length;
  const res = await fetch(`${c.url}/acme/collect`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ schema, data: [ev({ aid: 'custom-path' })] }) });
  assert.equal(res.status, 200);
  assert.equal(store.good[before].app_id, 'custom-path');
});

test('GET /r/tp2 redirects to allowed targets only and records a uri_redirect event', async () => {
  const before = store.good.length;
  const target = 'https://www.shop.example/sale?x=1';
  const res = await fetch(`${c.url}/r/tp2?u=${encodeURIComponent(target)}&aid=mail`, { redirect: 'manual' });
  assert.equal(res.status, 302);
  assert.equal(res.headers.get('location'), target);
  const e = store.good[before];
  assert.equal(e.event_name, 'uri_redirect');
  assert.equal(e.app_id, 'mail');
  assert.equal(JSON.parse(String(e.unstruct_event)).data.data.uri, target);
  const evil = await fetch(`${c.url}/r/tp2?u=${encodeURIComponent('https://evil.example/')}`, { redirect: 'manual' });
  assert.equal(evil.status, 400);
  assert.equal(store.good.length, before + 1);
});

test('OPTIONS preflight allows the trackers\' headers', async () => {
  const res = await fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'OPTIONS', headers: { Origin: 'https://a.example', 'Access-Control-Request-Headers': 'content-type' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('access-control-allow-origin'), 'https://a.example');
  assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
  assert.match(res.headers.get('access-control-allow-headers') ?? '', /Content-Type, SP-Anonymous/);
});

test('GET /i returns the 43-byte GIF and records the event; X-Forwarded-For is honoured when trusted', async () => {
  const before = store.good.length;
  const res = await fetch(`${c.url}/i?e=se&p=web&tv=no-js-0.1.0&se_ca=email&se_ac=open&aid=news`, { headers: { 'X-Forwarded-For': '203.0.113.9, 10.0.0.1' } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/gif');
  assert.equal(res.headers.get('cache-control'), 'no-cache, no-store, must-revalidate');
  assert.equal((await res.arrayBuffer()).byteLength, 43);
  const e = store.good[before];
  assert.equal(e.se_action, 'open');
  assert.equal(e.user_ipaddress, '203.0.113.x', 'the last octet anonymised by default');
  const same = await fetch(`${c.url}/com.snowplowanalytics.snowplow/i?e=pv&p=web&tv=t`);
  assert.equal(same.status, 200);
});

test('SP-Anonymous: no cookie, no IP, the anonymous network id, and an old cookie expired', async () => {
  const before = store.good.length;
  const res = await post([ev()], { 'SP-Anonymous': '*', Cookie: 'sp=old-id', 'X-Forwarded-For': '203.0.113.5' });
  assert.equal(res.status, 200);
  assert.match(res.headers.get('set-cookie') ?? '', /^sp=; Path=\/; Max-Age=0;/);
  const e = store.good[before];
  assert.equal(e.user_ipaddress, undefined);
  assert.equal(e.network_userid, '00000000-0000-0000-0000-000000000000');
});

test('an oversize body is answered 413 before it is all read; the bad row keeps a sample; keep-alive clients carry on', async () => {
  const badBefore = store.bad.length;
  const huge = new Blob([`{"schema":"${schema}","data":[{"page":"`, 'A'.repeat(5 * 1024 * 1024)]);
  const res = await fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: huge });
  assert.equal(res.status, 413);
  const bad = store.bad.slice(badBefore).find((b) => b.reason.startsWith('size_violation'));
  assert.ok(bad);
  assert.ok(bad.raw.startsWith(`{"schema":"${schema}"`));
  assert.ok(bad.raw.length <= 4096);
  assert.equal((await post([ev()])).status, 200);
});

test('gzip bodies are decoded (with the size limit applied after decompression); a BOM is tolerated', async () => {
  const { gzipSync } = await import('node:zlib');
  const before = store.good.length;
  const body = gzipSync(`\uFEFF${JSON.stringify({ schema, data: [ev({ aid: 'gzipped' })] })}`);
  const res = await fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: new Blob([body]) });
  assert.equal(res.status, 200);
  assert.equal(store.good[before].app_id, 'gzipped');
  const bomb = gzipSync(Buffer.alloc(10 * 1024 * 1024, 32));
  const refused = await fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: new Blob([bomb]) });
  assert.equal(refused.status, 413);
  const garbage = await fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' }, body: 'not gzip' });
  assert.equal(garbage.status, 400);
});

test('health, robots and metrics', async () => {
  assert.equal(await (await fetch(`${c.url}/health`)).text(), 'ok');
  assert.match(await (await fetch(`${c.url}/robots.txt`)).text(), /Disallow: \//);
  const metrics = await (await fetch(`${c.url}/metrics`)).text();
  assert.match(metrics, /webcube_collector_events_accepted_total [1-9]/);
  assert.match(metrics, /webcube_collector_requests_total\{route="tp2",status="200"\} [1-9]/);
  assert.match(metrics, /webcube_collector_ack_latency_seconds_count [1-9]/);
  assert.equal((await fetch(`${c.url}/nope`)).status, 404);
});

test('a full store answers 503 with Retry-After from the store, and nothing is acknowledged', async () => {
  store.full = true;
  try {
    const res = await post([ev()]);
    assert.equal(res.status, 503);
    assert.equal(res.headers.get('retry-after'), '7');
    assert.doesNotMatch(await res.text(), /at .*\.ts/, 'no stack trace');
  } finally {
    store.full = false;
  }
  const broken = new (class extends MemoryStore { override async append(): Promise<void> { throw new Error('EIO: disk on fire'); } })();
  const c2 = await startCollector(loadCollectorConfig({ COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_GEOIP_DB: 'off' }), { store: broken });
  try {
    const res = await fetch(`${c2.url}/i?e=pv&p=web&tv=t`);
    assert.equal(res.status, 503, 'a storage fault is "later" for the tracker, never an acknowledgement');
    assert.equal(res.headers.get('retry-after'), '5');
    assert.doesNotMatch(await res.text(), /EIO|disk on fire/, 'internal details stay in the log');
  } finally {
    await c2.close();
  }
});

test('POST /events/batch: token required, accepted/failed counts, deterministic batch_id', async () => {
  const body = JSON.stringify({ app_id: 'backend', events: [
    { event_id: 'order-1', event_type: 'order_paid', user_id: 'u1', timestamp: '2024-05-01T10:00:00Z', properties: { total: 30 } },
    { event_type: 'page_view', url: 'https://site.example/x', timestamp: 1714557600000 },
    { event_type: 'bad type!', timestamp: 1714557600000 },
    { event_type: 'signup', timestamp: 1714557600 },
  ] });
  const noAuth = await fetch(`${c.url}/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(noAuth.status, 401);
  const send = () => fetch(`${c.url}/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret-token-0123456789' }, body });
  const before = store.good.length;
  const res = await send();
  assert.equal(res.status, 200);
  const answer = await res.json() as { accepted: number; failed: number; batch_id: string; errors: { index: number; reason: string }[] };
  assert.equal(answer.accepted, 2);
  assert.equal(answer.failed, 2);
  assert.deepEqual(answer.errors.map((e) => e.index), [2, 3]);
  assert.match(answer.errors[1].reason, /seconds/);
  const added = store.good.slice(before);
  assert.equal(added[0].event_name, 'order_paid');
  assert.equal(added[0].app_id, 'backend');
  assert.equal(added[0].derived_tstamp, Date.UTC(2024, 4, 1, 10));
  const retry = await (await send()).json() as { batch_id: string };
  assert.equal(retry.batch_id, answer.batch_id);
  assert.equal(store.good[store.good.length - 2].event_id, added[0].event_id, 'the retry carries the same event ids, so the store can drop it');
  const tooMany = await fetch(`${c.url}/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json', Authorization: 'Bearer secret-token-0123456789' },
    body: JSON.stringify({ events: Array.from({ length: 501 }, () => ({ event_type: 'x', timestamp: 1714557600000 })) }) });
  assert.equal(tooMany.status, 400);
  assert.match((await tooMany.json() as { error: string }).error, /500/);
});

test('COLLECTOR_RATE_LIMIT_PER_IP: a flooding client gets 429 with Retry-After; health stays open', async () => {
  const limited = await startCollector(loadCollectorConfig({ COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_GEOIP_DB: 'off', COLLECTOR_RATE_LIMIT_PER_IP: '1' }), { store: new MemoryStore() });
  try {
    const hit = () => fetch(`${limited.url}/i?e=pv&p=web&tv=t`);
    assert.equal((await hit()).status, 200);
    assert.equal((await hit()).status, 200);
    const third = await hit();
    assert.equal(third.status, 429);
    assert.equal(third.headers.get('retry-after'), '1');
    assert.equal((await fetch(`${limited.url}/health`)).status, 200);
  } finally {
    await limited.close();
  }
});
