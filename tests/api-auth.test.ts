// End-to-end auth and error behaviour of the API: Cube's 403 messages for missing, bad and
// expired tokens, tenant isolation through the shipped cube.js (app_id in the token), precise
// 400s for bad queries, and never a stack trace outside dev mode.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cube from '@cubejs-client/core';
import { countBy, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
before(async () => { fx = await startFixture(); });
after(async () => { await fx?.close(); });

async function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(`${fx.apiUrl}${path}`, { headers });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
}

const countQuery = encodeURIComponent(JSON.stringify({ measures: ['events.count'], dimensions: ['events.app_id'] }));

describe('API authentication', () => {
  test('no Authorization header → 403 "Authorization header isn\'t set"', async () => {
    const r = await get(`/load?query=${countQuery}`);
    assert.equal(r.status, 403);
    assert.deepEqual(r.body.error, "Authorization header isn't set");
    assert.equal(r.body.stack, undefined);
  });

  test('a token signed with another secret → 403 "Invalid token"', async () => {
    const { signToken } = await import('../server/src/auth/sign-token.ts');
    const r = await get(`/meta`, { Authorization: await signToken({}, 'not-the-secret') });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'Invalid token');
  });

  test('an expired token → 403 "Invalid token"', async () => {
    const token = await fx.token({}, Math.floor(Date.now() / 1000) - 60);
    const r = await get(`/load?query=${countQuery}`, { Authorization: token });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'Invalid token');
  });

  test('garbage instead of a JWT → 403 "Invalid token"', async () => {
    const r = await get('/meta', { Authorization: 'not.a.jwt' });
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'Invalid token');
  });

  test('"Bearer <jwt>" is accepted like the raw token', async () => {
    const r = await get(`/load?query=${countQuery}`, { Authorization: `Bearer ${await fx.token()}` });
    assert.equal(r.status, 200);
    const total = (r.body.data as Record<string, string>[]).reduce((s, row) => s + Number(row['events.count']), 0);
    assert.equal(total, fx.rows.length);
  });

  test('health endpoints need no token', async () => {
    const live = await fetch(`${fx.server.url}/livez`);
    assert.equal(live.status, 200);
    assert.deepEqual(await live.json(), { health: 'HEALTH' });
    const ready = await fetch(`${fx.server.url}/readyz`);
    assert.equal(ready.status, 200);
  });

  test('CORS preflight allows the headers the official client sends', async () => {
    const res = await fetch(`${fx.apiUrl}/load`, { method: 'OPTIONS', headers: {
      Origin: 'https://dashboard.example', 'Access-Control-Request-Method': 'GET', 'Access-Control-Request-Headers': 'authorization,x-request-id,content-type',
    } });
    assert.ok(res.status === 204 || res.status === 200);
    assert.ok(res.headers.get('access-control-allow-origin'));
    assert.match(String(res.headers.get('access-control-allow-headers')).toLowerCase(), /authorization/);
  });

  test('large results are compressed for clients that accept it, with the same rows', async () => {
    const q = encodeURIComponent(JSON.stringify({ dimensions: ['events.event_id', 'events.page'], ungrouped: true }));
    const res = await fetch(`${fx.apiUrl}/load?query=${q}`, { headers: { Authorization: await fx.token(), 'Accept-Encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    const body = await res.json() as { data: unknown[] };
    assert.equal(body.data.length, fx.rows.length);
  });

  test('the dev-token endpoint does not exist outside dev mode', async () => {
    const r = await get('/dev-token');
    assert.equal(r.status, 404);
  });
});

describe('tenant isolation (app_id in the security context)', () => {
  test('a site token only counts its own rows', async () => {
    const api = cube(await fx.token({ app_id: 'site-b' }), { apiUrl: fx.apiUrl });
    const rs = await api.load({ measures: ['events.count'], dimensions: ['events.app_id'] });
    const rows = rs.tablePivot();
    assert.deepEqual(rows.map((r) => r['events.app_id']), ['site-b']);
    assert.equal(Number(rows[0]!['events.count']), countBy(fx.rows, (r) => r.app_id).get('site-b'));
  });

  test("a site token asking for another site's rows gets none, even through OR filters", async () => {
    const api = cube(await fx.token({ app_id: 'site-b' }), { apiUrl: fx.apiUrl });
    const rs = await api.load({
      measures: ['events.count'],
      filters: [{ or: [
        { member: 'events.app_id', operator: 'equals', values: ['site-a'] },
        { member: 'events.event', operator: 'set' },
      ] }],
    });
    assert.equal(Number(rs.tablePivot()[0]?.['events.count'] ?? 0), countBy(fx.rows, (r) => r.app_id).get('site-b'));
    const only = await api.load({ measures: ['events.count'], filters: [{ member: 'events.app_id', operator: 'equals', values: ['site-a'] }] });
    assert.equal(Number(only.tablePivot()[0]?.['events.count'] ?? 0), 0);
  });

  test('a token for several sites sees exactly those', async () => {
    const api = cube(await fx.token({ app_id: ['site-a', 'site-b'] }), { apiUrl: fx.apiUrl });
    const rs = await api.load({ measures: ['events.count'] });
    assert.equal(Number(rs.tablePivot()[0]!['events.count']), fx.rows.length);
  });

  test('a cube without an app_id dimension is refused for a site token', async () => {
    const q = encodeURIComponent(JSON.stringify({ measures: ['pages.count'] }));
    const r = await get(`/load?query=${q}`, { Authorization: await fx.token({ app_id: 'site-a' }) });
    assert.equal(r.status, 403);
    assert.match(String(r.body.error), /pages.*app_id/);
    const admin = await get(`/load?query=${q}`, { Authorization: await fx.token() });
    assert.equal(admin.status, 200);
    assert.equal(Number((admin.body.data as Record<string, string>[])[0]!['pages.count']), new Set(fx.rows.map((r) => r.page_urlpath)).size);
  });

  test('the site filter also applies to /v1/sql', async () => {
    const q = encodeURIComponent(JSON.stringify({ measures: ['events.count'] }));
    const r = await get(`/sql?query=${q}`, { Authorization: await fx.token({ app_id: 'site-a' }) });
    assert.equal(r.status, 200);
    const [, params] = (r.body.sql as { sql: [string, unknown[]] }).sql;
    assert.ok(params.includes('site-a'));
  });
});

describe('bad queries', () => {
  const bad = async (query: unknown) => {
    const q = encodeURIComponent(typeof query === 'string' ? query : JSON.stringify(query));
    return get(`/load?query=${q}`, { Authorization: await fx.token() });
  };

  test('an unknown member → 400 naming it', async () => {
    const r = await bad({ measures: ['events.nope'] });
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /events\.nope/);
    assert.equal(r.body.stack, undefined);
  });

  test('an unknown key → 400 Invalid query format', async () => {
    const r = await bad({ measures: ['events.count'], bogus: 1 });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'Invalid query format: "bogus" is not allowed');
  });

  test('no query param → 400 "query param is required"', async () => {
    const r = await get('/load', { Authorization: await fx.token() });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, 'query param is required');
  });

  test('invalid JSON → 400', async () => {
    const r = await bad('{"measures":');
    assert.equal(r.status, 400);
    assert.match(String(r.body.error), /JSON/);
  });

  test('compareDateRange without queryType=multi → 400 with Cube\'s message', async () => {
    const r = await bad({ measures: ['events.count'], timeDimensions: [{ dimension: 'events.time', compareDateRange: [['2024-01-01', '2024-01-02'], ['2024-01-03', '2024-01-04']] }] });
    assert.equal(r.status, 400);
    assert.equal(r.body.error, "'compareDateRangeQuery' query type is not supported by the client.Please update the client.");
  });

  test('POST with a malformed body → 400, no stack', async () => {
    const res = await fetch(`${fx.apiUrl}/load`, { method: 'POST', headers: { Authorization: await fx.token(), 'Content-Type': 'application/json' }, body: '{oops' });
    assert.equal(res.status, 400);
    const body = await res.json() as Record<string, unknown>;
    assert.equal(typeof body.error, 'string');
    assert.equal(body.stack, undefined);
  });
});
