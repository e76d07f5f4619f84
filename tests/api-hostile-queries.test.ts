// Regression (issue #18): bad queries and refused security contexts answered 500. Each now gets
// 400 (UserError) or 403 (AuthError) in Cube's error shape with a message naming the problem.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { SECRET, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
let token: string;

before(async () => {
  fx = await startFixture();
  token = await fx.token();
});
after(async () => { await fx?.close(); });

/** `query` as an object, or as JSON text (values too deep for JSON.stringify). */
async function load(query: unknown, auth = token): Promise<{ status: number; body: { error?: string; type?: string; stack?: string } }> {
  const res = await fetch(`${fx.apiUrl}/load`, {
    method: 'POST', headers: { Authorization: auth, 'Content-Type': 'application/json' },
    body: typeof query === 'string' ? `{"query":${query}}` : JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() as { error?: string; type?: string } };
}

const count = { measures: ['events.count'] };

for (const operator of ['equals', 'notEquals', 'lt', 'lte', 'gt', 'gte']) {
  test(`a time-dimension filter "${operator}" with a value that is not a date: 400, not 500 "Invalid local time"`, async () => {
    const r = await load({ ...count, filters: [{ member: 'events.time', operator, values: ['x'] }] });
    assert.equal(r.status, 400);
    assert.equal(r.body.type, 'UserError');
    assert.match(r.body.error!, /Can't parse date: 'x'/);
    assert.equal(r.body.stack, undefined);
  });
}

for (const dateRange of ['last 9999999999 days', 'next 99999999 years', '9999999999 days ago to now', 'from 300000 years ago to today']) {
  test(`dateRange "${dateRange}": 400, not 500 "Invalid time value"`, async () => {
    const r = await load({ ...count, timeDimensions: [{ dimension: 'events.time', dateRange }] });
    assert.equal(r.status, 400);
    assert.match(r.body.error!, /out of range/);
  });
}

test('and/or filters nested 1,000 and 1,200 deep: 400, not 500 "Maximum call stack size exceeded"', async () => {
  for (const depth of [1000, 1200, 20_000]) {
    let filter = JSON.stringify({ member: 'events.event', operator: 'equals', values: ['page_view'] });
    for (let i = 0; i < depth; i++) filter = `{"${i % 2 ? 'and' : 'or'}":[${filter}]}`;
    const r = await load(`{"measures":["events.count"],"filters":[${filter}]}`);
    assert.equal(r.status, 400, `depth ${depth}`);
    assert.match(r.body.error!, /filters nest deeper than \d+ levels/);
  }
});

test('a signed token with app_id: [] is refused with 403 and the message from cube.js on every endpoint, not 500', async () => {
  const empty = await fx.token({ app_id: [] });
  const answers = [
    await fetch(`${fx.apiUrl}/load?query=${encodeURIComponent(JSON.stringify(count))}`, { headers: { Authorization: empty } }),
    await fetch(`${fx.apiUrl}/meta`, { headers: { Authorization: empty } }),
    await fetch(`${fx.apiUrl}/sql?query=${encodeURIComponent(JSON.stringify(count))}`, { headers: { Authorization: empty } }),
    await fetch(`${fx.server.url}/cubejs-api/graphql`, {
      method: 'POST', headers: { Authorization: empty, 'Content-Type': 'application/json' }, body: JSON.stringify({ query: '{ cube { events { count } } }' }),
    }),
  ];
  for (const res of answers) {
    assert.equal(res.status, 403, res.url);
    const body = await res.json() as { error: string };
    assert.match(body.error, /empty list of sites/);
  }
});

async function graphql(query: string): Promise<{ status: number; body: { errors?: { message: string }[]; data?: unknown } }> {
  const res = await fetch(`${fx.server.url}/cubejs-api/graphql`, {
    method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify({ query }),
  });
  return { status: res.status, body: await res.json() as { errors?: { message: string }[] } };
}

test('a GraphQL document nested 5,000 deep: 400 naming the limit, not "Maximum call stack size exceeded"', async () => {
  const r = await graphql(`{ cube { events { count ${'{ a '.repeat(5000)}${'}'.repeat(5000)} } } }`);
  assert.equal(r.status, 400);
  assert.deepEqual(r.body.errors?.map((e) => e.message), ['The GraphQL document nests deeper than 64 levels']);
});

test('a GraphQL query the REST pipeline refuses is a 400 with its message, not a 200', async () => {
  const r = await graphql('{ cube(where: { events: { time: { equals: "x" } } }) { events { count } } }');
  assert.equal(r.status, 400);
  assert.match(r.body.errors![0]!.message, /Can't parse date: 'x'/);
});

test('a correctly signed token whose claims nest 5,000 deep: 403, not a 500 from cloning the context', async () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64url');
  const unsigned = `${b64('{"alg":"HS256","typ":"JWT"}')}.${b64(`{"exp":${Math.floor(Date.now() / 1000) + 600},"x":${'['.repeat(5000)}${']'.repeat(5000)}}`)}`;
  const deep = `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
  for (const path of ['/meta', `/load?query=${encodeURIComponent(JSON.stringify(count))}`]) {
    const res = await fetch(`${fx.apiUrl}${path}`, { headers: { Authorization: deep } });
    assert.equal(res.status, 403, path);
    assert.match((await res.json() as { error: string }).error, /claims nest deeper than 32 levels/);
  }
});

test('a GraphQL document with 1,000 aliased cube fields: 400 naming the limit, and no query runs', async () => {
  const aliases = Array.from({ length: 1000 }, (_, i) => `q${i}: cube { events { count } }`).join(' ');
  const r = await graphql(`{ ${aliases} }`);
  assert.equal(r.status, 400);
  assert.match(r.body.errors![0]!.message, /at most 50 queries/);
  assert.equal(r.body.data, undefined);
  const fifty = await graphql(`{ ${Array.from({ length: 50 }, (_, i) => `q${i}: cube { events { count } }`).join(' ')} }`);
  assert.equal(fifty.status, 200);
  assert.equal(Object.keys(fifty.body.data as object).length, 50);
});

test('a query array of 1,000 queries or a compareDateRange of 1,000 ranges: 400 naming the limit', async () => {
  const blend = await load(Array.from({ length: 1000 }, () => ({ ...count, timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange: 'last 7 days' }] })));
  assert.equal(blend.status, 400);
  assert.match(blend.body.error!, /at most 50 queries; this query array asks for 1000/);
  const ranges = Array.from({ length: 1000 }, (_, i) => [`2020-01-${String((i % 28) + 1).padStart(2, '0')}`, '2020-02-01']);
  const compare = await load({ ...count, timeDimensions: [{ dimension: 'events.time', compareDateRange: ranges }] });
  assert.equal(compare.status, 400);
  assert.match(compare.body.error!, /at most 50 queries; this compareDateRange asks for 1000/);
});
