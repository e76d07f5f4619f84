// The collector's side of consent over HTTP: a withdrawal sets the opt-out cookie and expires
// `sp`; later requests with it are stored without identifiers; a new grant restores them.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { loadCollectorConfig } from '../config.ts';
import { startCollector, type RunningCollector } from '../collector-command.ts';
import { MemoryStore } from './memory-store.ts';

const ZERO = '00000000-0000-0000-0000-000000000000';
const SP = 'iglu:com.snowplowanalytics.snowplow';
const ue = (name: string, data: unknown) => JSON.stringify({ schema: `${SP}/unstruct_event/jsonschema/1-0-0`, data: { schema: `${SP}/${name}/jsonschema/1-0-0`, data } });
const ev = (extra: Record<string, string> = {}) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', url: 'https://site.example/', uid: 'alice', duid: 'd-1', sid: 'aaaaaaaa-1111-4111-8111-111111111111', ...extra });
const withdraw = (extra: Record<string, string> = {}) => ev({ e: 'ue', ue_pr: ue('consent_withdrawn', { all: true }), ...extra });
const grant = () => ev({ e: 'ue', ue_pr: ue('consent_granted', { expiry: null }) });

function setup(env: Record<string, string>) {
  const config = loadCollectorConfig({ COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_TRUST_PROXY: 'true', COLLECTOR_GEOIP_DB: 'off', ...env });
  const store = new MemoryStore(config.enrich);
  let c: RunningCollector;
  const post = (data: unknown[], headers: Record<string, string> = {}) => fetch(`${c.url}/com.snowplowanalytics.snowplow/tp2`, {
    method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Forwarded-For': '198.51.100.7', ...headers },
    body: JSON.stringify({ schema: `${SP}/payload_data/jsonschema/1-0-4`, data }),
  });
  before(async () => {
    c = await startCollector(config, { store });
  });
  after(async () => { await c.close(); });
  return { store, post, url: () => c.url };
}

const cookies = (res: Response) => res.headers.getSetCookie();
const { store, post, url } = setup({});

test('a withdrawal in a batch: events before it keep their identifiers, it and the later ones lose them', async () => {
  const from = store.good.length;
  const res = await post([ev({ eid: '11111111-1111-4111-8111-111111111111' }), withdraw(), ev({ e: 'pp' })], { Cookie: 'sp=net-1' });
  assert.equal(res.status, 200);
  const set = cookies(res);
  assert.ok(set.some((c) => /^sp=; Path=\/; Max-Age=0;/.test(c)), 'the network id cookie is expired');
  assert.ok(set.some((c) => /^sp_optout=1; Path=\/; Max-Age=31536000;/.test(c)), 'the opt-out cookie is set');
  const [pv, consent, ping] = store.good.slice(from);
  assert.deepEqual([pv.user_id, pv.domain_userid, pv.network_userid, pv.user_ipaddress], ['alice', 'd-1', 'net-1', '198.51.100.x']);
  assert.equal(consent.event_name, 'consent_withdrawn');
  assert.deepEqual(JSON.parse(String(consent.unstruct_event)).data.data, { all: true });
  for (const e of [consent, ping]) {
    assert.deepEqual([e.user_id, e.domain_userid, e.network_userid, e.user_ipaddress], [undefined, undefined, ZERO, undefined]);
    assert.equal(e.domain_sessionid, 'aaaaaaaa-1111-4111-8111-111111111111', 'the session stays: the event still counts');
  }
});

test('with the opt-out cookie: no identifiers, no new sp cookie; a grant restores them and clears it', async () => {
  const from = store.good.length;
  const res = await post([ev()], { Cookie: 'sp_optout=1' });
  const set = cookies(res);
  assert.ok(!set.some((c) => /^sp=[^;]/.test(c)), 'no network id is handed out');
  assert.ok(set.some((c) => c.startsWith('sp_optout=1;')), 'the opt-out is renewed');
  const e = store.good[from];
  assert.deepEqual([e.user_id, e.domain_userid, e.network_userid, e.user_ipaddress, e.geo_country], [undefined, undefined, ZERO, undefined, undefined]);

  const again = await post([grant(), ev()], { Cookie: 'sp_optout=1' });
  const set2 = cookies(again);
  assert.ok(set2.some((c) => /^sp_optout=; Path=\/; Max-Age=0;/.test(c)), 'the opt-out cookie is expired');
  const nuid = /^sp=([^;]+)/.exec(set2.find((c) => /^sp=[^;]/.test(c)) ?? '')?.[1];
  assert.ok(nuid, 'a network id is handed out again');
  const [g, pv] = store.good.slice(from + 1);
  for (const x of [g, pv]) assert.deepEqual([x.user_id, x.domain_userid, x.network_userid, x.user_ipaddress], ['alice', 'd-1', nuid, '198.51.100.x']);
});

test('the GET pixel honours the opt-out cookie and a withdrawal sent by GET (base64 ue_px)', async () => {
  const from = store.good.length;
  const q = new URLSearchParams({ e: 'ue', p: 'web', tv: 'js-4.10.1', uid: 'bob', ue_px: Buffer.from(ue('consent_withdrawn', { all: false })).toString('base64url') });
  const res = await fetch(`${url()}/i?${q}`, { headers: { 'X-Forwarded-For': '198.51.100.7' } });
  assert.ok(cookies(res).some((c) => c.startsWith('sp_optout=1;')));
  const later = await fetch(`${url()}/i?e=pv&p=web&tv=js-4.10.1&uid=bob`, { headers: { Cookie: 'sp_optout=1', 'X-Forwarded-For': '198.51.100.7' } });
  assert.equal(later.status, 200);
  assert.deepEqual(store.bad.map((b) => b.reason), []);
  const [w, pv] = store.good.slice(from);
  assert.equal(w.event_name, 'consent_withdrawn');
  for (const x of [w, pv]) assert.deepEqual([x.user_id, x.network_userid, x.user_ipaddress], [undefined, ZERO, undefined]);
});

test('SP-Anonymous: no cookie is set, not even the opt-out one, and the request is anonymous', async () => {
  const from = store.good.length;
  const res = await post([withdraw(), ev()], { 'SP-Anonymous': '*' });
  assert.deepEqual(cookies(res), []);
  for (const x of store.good.slice(from)) assert.deepEqual([x.network_userid, x.user_ipaddress], [ZERO, undefined]);
});

const off = setup({ COLLECTOR_CONSENT_ENFORCE: 'false' });
test('COLLECTOR_CONSENT_ENFORCE=false: consent events are stored and change nothing', async () => {
  const from = off.store.good.length;
  const res = await off.post([withdraw(), ev()], { Cookie: 'sp=net-2; sp_optout=1' });
  assert.ok(!cookies(res).some((c) => c.startsWith('sp_optout')));
  for (const x of off.store.good.slice(from)) assert.deepEqual([x.user_id, x.network_userid], ['alice', 'net-2']);
});

const cookieless = setup({ COLLECTOR_COOKIE_ENABLED: 'false' });
test('cookieless (COLLECTOR_COOKIE_ENABLED=false): no Set-Cookie ever, a withdrawal still anonymises the rest of its request', async () => {
  const from = cookieless.store.good.length;
  const res = await cookieless.post([ev(), withdraw(), ev()]);
  assert.deepEqual(cookies(res), []);
  const [a, b, c] = cookieless.store.good.slice(from);
  assert.deepEqual([a.user_id, a.network_userid, a.user_ipaddress], ['alice', undefined, '198.51.100.x']);
  for (const x of [b, c]) assert.deepEqual([x.user_id, x.network_userid, x.user_ipaddress], [undefined, ZERO, undefined]);
});

test('a network id is marked fresh only when the collector made it up (no cookie, no nuid parameter)', async () => {
  const { requestPrivacy } = await import('./request-privacy.ts');
  const cookie = loadCollectorConfig({}).cookie;
  const req = (headers: Record<string, string>) => ({ headers }) as never;
  const known = '6f1c7a8e-0b0e-4f7e-9a38-1d2c3b4a5e6f';
  assert.equal(requestPrivacy(req({}), undefined, cookie, true).networkUserIdFresh, true);
  const fromCookie = requestPrivacy(req({ cookie: `sp=${known}` }), undefined, cookie, true);
  assert.equal(fromCookie.networkUserId, known);
  assert.equal(fromCookie.networkUserIdFresh, undefined);
  assert.equal(requestPrivacy(req({}), new URLSearchParams({ nuid: known }), cookie, true).networkUserIdFresh, undefined);
});
