// Fuzzes every API boundary (REST /v1/load, /v1/sql, /v1/dry-run, /graphql, and the JWT in front of
// them) with generated hostile queries and tokens against a real server over Parquet. Checks: the
// server answers throughout; no 5xx but 503 with Retry-After; every answer is JSON and every error
// carries a message and no stack trace; no prototype is polluted; and a valid query still gets the
// right numbers at the end. Seeded (FUZZ_SEED replays a run) and bounded by request counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { Agent, request } from 'node:http';
import { SECRET, startFixture, type Fixture } from './api-fixture.ts';
import {
  deepJson, fuzzRandom, hostileBytes, hostileJson, hostileString, INTERNAL_MESSAGE, mutate, pct, PROTOTYPE_NAMES, RawJson, runPool, STACK_TRACE, toJsonText, type Random,
} from './fuzz-values.ts';

const REQUESTS = { load: 600, sql: 250, dryRun: 250, graphql: 400, jwt: 300 };
const CONCURRENCY = 6;

let fx: Fixture;
let admin: string;
let site: string;
const agent = new Agent({ keepAlive: true });
before(async () => {
  fx = await startFixture();
  admin = await fx.token();
  site = await fx.token({ app_id: 'site-a' });
});
after(async () => { agent.destroy(); await fx?.close(); });

interface Case { readonly what: string; readonly method: string; readonly path: string; readonly headers: Record<string, string>; readonly body?: Buffer }
type Answer = { status: number; type: string | undefined; retryAfter: string | undefined; body: Buffer };

function send(c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(`${fx.server.url}${c.path}`, {
      method: c.method, agent, maxHeaderSize: 1024 * 1024,
      headers: { ...c.headers, ...(c.body ? { 'Content-Length': String(c.body.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => resolve({
        status: res.statusCode ?? 0, type: res.headers['content-type'], retryAfter: res.headers['retry-after'] as string | undefined, body: Buffer.concat(chunks),
      }));
    });
    req.on('error', reject);
    req.end(c.body);
  });
}

// ── Queries ──────────────────────────────────────────────────────────────────────────────────
const MEMBERS = ['events.count', 'events.users', 'events.value_sum', 'events.event_id', 'events.app_id', 'events.event', 'events.page', 'events.time',
  'pages.count', 'pages.path'];
const ODD_MEMBERS = ['events', 'events.', '.count', 'events.count.day', 'events.time.day', 'events.time.fortnight', 'nope.count', 'events.nope',
  '__proto__.count', 'events.__proto__', 'constructor.prototype', 'events.constructor', 'events.toString', 'a.b.c.d', ''];
const OPERATORS = ['equals', 'notEquals', 'in', 'notIn', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith',
  'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'onTheDate', 'beforeDate', 'beforeOrOnDate', 'afterDate',
  'afterOrOnDate', 'measureFilter', 'EQUALS', 'like', '', '__proto__'];
const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'fortnight', '', 'constructor'];
const DATES = ['2024-01-01', '2024-01-20T12:00:00', '2024-01-05T00:00:00.000Z', '2024-02-30', '0001-01-01', '9999-12-31', '0000-01-01',
  '2024-13-01', '275760-09-13', '2024-01-01T24:00:00', 'today', 'yesterday'];

/** Mostly a real member, so the query gets past member checks to the values, dates and SQL. */
function member(r: Random): string {
  return r.chance(0.93) ? r.pick(MEMBERS) : r.chance(0.7) ? r.pick(ODD_MEMBERS) : hostileString(r, 500);
}

function phrase(r: Random): string {
  const n = r.pick([0, 1, 7, 365, 99999, 9999999999, 1e21]).toString();
  const unit = r.pick([...GRANULARITIES, 'days', 'weeks']);
  return r.pick([`last ${n} ${unit}`, `next ${n} ${unit}`, `${n} ${unit} ago to now`, `from ${n} ${unit} ago to ${n} ${unit} from now`,
    `this ${unit}`, 'today', 'last week', `from ${r.pick(DATES)} to ${r.pick(DATES)}`]);
}

function values(r: Random, time: boolean): unknown {
  if (r.chance(0.05)) return new RawJson(hostileJson(r, { maxLength: 50_000 }));
  return Array.from({ length: r.int(time ? 1 : 0, 3) }, () => r.pick<() => unknown>([
    () => r.pick(DATES), () => r.pick(DATES), () => phrase(r), () => hostileString(r, 2000), () => r.int(-1e9, 1e9), () => null, () => true,
    () => 'page_view', () => 'site-a', () => new RawJson(r.pick(['1e400', '-0', '123456789012345678901234567890'])),
  ])());
}

function filter(r: Random, depth: number): unknown {
  if (depth > 0 && r.chance(0.35)) return { [r.pick(['and', 'or'])]: Array.from({ length: r.int(0, 3) }, () => filter(r, depth - 1)) };
  const path = member(r);
  const f: Record<string, unknown> = { [r.chance(0.9) ? 'member' : 'dimension']: path, operator: r.pick(OPERATORS) };
  if (r.chance(0.9)) f.values = values(r, path === 'events.time');
  return f;
}

/** and/or nesting as text, deeper than JSON.stringify goes. */
function deepFilter(r: Random): RawJson {
  let text = JSON.stringify({ member: 'events.event', operator: 'equals', values: ['page_view'] });
  for (let i = r.pick([33, 1000, 1200, 5000, 50_000]); i > 0; i--) text = `{"${r.chance(0.5) ? 'and' : 'or'}":[${text}]}`;
  return new RawJson(text);
}

function timeDimension(r: Random): Record<string, unknown> {
  const td: Record<string, unknown> = { dimension: r.chance(0.9) ? 'events.time' : member(r) };
  if (r.chance(0.6)) td.granularity = r.chance(0.9) ? r.pick(GRANULARITIES) : hostileString(r, 200);
  if (r.chance(0.6)) td.dateRange = r.pick<() => unknown>([() => phrase(r), () => [r.pick(DATES), r.pick(DATES)], () => [r.pick(DATES)], () => hostileString(r, 500), () => []])();
  else if (r.chance(0.2)) td.compareDateRange = Array.from({ length: r.int(0, 4) }, () => (r.chance(0.5) ? phrase(r) : [r.pick(DATES), r.pick(DATES)]));
  return td;
}

/** A query made from the model's members and every option Cube takes, with odd values here and there. */
function generatedQuery(r: Random): Record<string, unknown> {
  const q: Record<string, unknown> = {};
  if (r.chance(0.9)) q.measures = Array.from({ length: r.int(1, 2) }, () => (r.chance(0.9) ? r.pick(MEMBERS.slice(0, 3)) : member(r)));
  if (r.chance(0.5)) q.dimensions = Array.from({ length: r.int(0, 2) }, () => (r.chance(0.9) ? r.pick(MEMBERS.slice(3, 8)) : member(r)));
  if (r.chance(0.4)) q.timeDimensions = Array.from({ length: r.int(1, 2) }, () => timeDimension(r));
  if (r.chance(0.5)) q.filters = r.chance(0.1) ? [deepFilter(r)] : Array.from({ length: r.int(1, 3) }, () => filter(r, r.int(0, 6)));
  if (r.chance(0.2)) q.segments = [member(r)];
  if (r.chance(0.3)) q.order = r.chance(0.5) ? { [member(r)]: r.pick(['asc', 'desc', 'none', 'sideways']) } : [[member(r), r.pick(['asc', 'desc'])]];
  if (r.chance(0.3)) q.limit = r.pick([0, 1, 50_000, 50_001, -1, 2 ** 53, 1.5, '10', 'x', null]);
  if (r.chance(0.2)) q.offset = r.pick([0, 10, -5, 2 ** 53, '3', 'y']);
  if (r.chance(0.2)) q.timezone = r.pick(['UTC', 'America/New_York', 'Etc/GMT+14', 'Asia/Kathmandu', 'Mars/Olympus', '', '+05:00', 'utc']);
  for (const key of ['total', 'ungrouped', 'renewQuery']) if (r.chance(0.08)) q[key] = r.pick([true, false, 'yes', 1]);
  if (r.chance(0.1)) q.responseFormat = r.pick(['compact', 'columnar', 'default', 'csv']);
  if (r.chance(0.05)) q[r.pick(PROTOTYPE_NAMES)] = { polluted: true };
  return q;
}

const TEMPLATES: Record<string, unknown>[] = [
  { measures: ['events.count'] },
  { measures: ['events.count', 'events.users'], dimensions: ['events.app_id'], order: { 'events.count': 'desc' }, limit: 10 },
  { measures: ['events.value_sum'], timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange: ['2024-01-03', '2024-01-09'] }] },
  { measures: ['events.count'], filters: [{ or: [{ member: 'events.app_id', operator: 'equals', values: ['site-b'] }, { member: 'events.time', operator: 'beforeDate', values: ['2024-01-10'] }] }] },
  { measures: ['pages.count'], dimensions: ['pages.path'] },
  { dimensions: ['events.page'], timeDimensions: [{ dimension: 'events.time', compareDateRange: ['last week', ['2024-01-01', '2024-01-07']] }], measures: ['events.count'] },
];

/** A query as JSON text: generated, or a valid one mutated, or (rarely) text that is no query at all. */
function queryText(r: Random): string {
  const roll = r.next();
  if (roll < 0.55) return toJsonText(generatedQuery(r));
  if (roll < 0.9) return mutate(r, r.pick(TEMPLATES), { maxLength: 50_000 });
  if (roll < 0.95) return `[${Array.from({ length: r.int(0, 3) }, () => toJsonText(generatedQuery(r))).join(',')}]`;
  return hostileJson(r);
}

function restCase(r: Random, route: 'load' | 'sql' | 'dry-run'): Case {
  const token = r.chance(0.8) ? admin : site;
  const q = queryText(r);
  const multi = r.chance(0.3) ? 'multi' : undefined;
  const path = `/cubejs-api/v1/${route}`;
  const roll = r.next();
  if (roll < 0.35 && q.length < 12_000) {
    return { what: `${route} GET`, method: 'GET', path: `${path}?query=${pct(q)}${multi ? '&queryType=multi' : ''}`, headers: { Authorization: token } };
  }
  const body = `{"query":${r.chance(0.2) ? JSON.stringify(q) : q}${multi ? ',"queryType":"multi"' : ''}}`;
  if (roll < 0.9) return { what: `${route} POST`, method: 'POST', path, headers: { Authorization: token, 'Content-Type': 'application/json' }, body: Buffer.from(body) };
  return {
    what: `${route} POST hostile body`, method: 'POST', path, body: r.chance(0.7) ? hostileBytes(r, body) : Buffer.from(deepJson(r)),
    headers: { Authorization: token, 'Content-Type': r.pick(['application/json', 'application/json; charset=latin1', 'text/plain', 'application/x-www-form-urlencoded']) },
  };
}

// ── GraphQL ──────────────────────────────────────────────────────────────────────────────────
const GQL_TEMPLATES = [
  '{ cube { events { count } } }',
  '{ cube(limit: LIMIT, where: { events: { app_id: { equals: STRING } } }) { events { count app_id time { day } } } }',
  'query Q($v: String) { cube(where: { events: { event: { in: [$v] } } }) { events { count event } } }',
  '{ cube(orderBy: { events: { app_id: asc } }) { events { count app_id } } }',
  '{ cube(where: { OR: [{ events: { page: { contains: STRING } } }, { events: { time: { inDateRange: [STRING, STRING] } } }] }) { events { users page } } }',
  '{ cube(where: { events: { time: { beforeDate: STRING } } }) { events { value_sum time { FIELD } } } }',
];

function gqlString(r: Random): string {
  // JSON's string syntax is GraphQL's too, \u escapes and lone surrogates included; sometimes it is broken.
  const s = JSON.stringify(r.chance(0.5) ? r.pick(DATES.concat(['site-a', 'page_view', phrase(r)])) : hostileString(r, 20_000));
  return r.chance(0.1) ? s.slice(0, r.int(0, s.length)) : s;
}

function graphqlDocument(r: Random): string {
  const roll = r.next();
  if (roll < 0.6) {
    return r.pick(GQL_TEMPLATES)
      .replaceAll('STRING', () => gqlString(r))
      .replaceAll('LIMIT', () => r.pick(['1', '0', '-1', '50001', '1e400', '99999999999999999999', '"x"', 'null', '1.5']))
      .replaceAll('FIELD', () => r.pick(['day', 'value', 'fortnight', '__typename', 'constructor', '__proto__']));
  }
  if (roll < 0.7) {
    const n = r.pick([10, 500, 5000, 30_000]);
    return `{ cube { events { count ${'{ a '.repeat(n)}${'}'.repeat(n)} } } }`;
  }
  if (roll < 0.8) {
    const n = r.pick([10, 40, 500, 5000]);
    return `{ cube(where: ${'{ AND: ['.repeat(n)}{ events: { event: { equals: "page_view" } } }${'] }'.repeat(n)}) { events { count } } }`;
  }
  if (roll < 0.85) return `{ ${Array.from({ length: r.int(1, 20) }, (_, i) => `a${i}: cube(limit: ${i + 1}) { events { count } }`).join(' ')} }`;
  if (roll < 0.9) return 'query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }';
  if (roll < 0.95) return hostileString(r, 50_000);
  const doc = r.pick(GQL_TEMPLATES).replaceAll('STRING', '"x"').replaceAll('LIMIT', '1').replaceAll('FIELD', 'day');
  return doc.slice(0, r.int(0, doc.length));
}

function graphqlCase(r: Random): Case {
  const token = r.chance(0.8) ? admin : site;
  const query = graphqlDocument(r);
  const variables = r.chance(0.5) ? `{"v":${r.chance(0.5) ? JSON.stringify(hostileString(r, 5000)) : hostileJson(r, { maxLength: 20_000 })}}` : r.pick(['null', '"{"', '"not json"', '[]', '{}']);
  const path = '/cubejs-api/graphql';
  if (r.chance(0.2) && query.length < 8000) {
    return { what: 'graphql GET', method: 'GET', path: `${path}?query=${pct(query)}`, headers: { Authorization: token } };
  }
  const body = `{"query":${JSON.stringify(query)},"variables":${variables}${r.chance(0.2) ? `,"operationName":${JSON.stringify(hostileString(r, 100))}` : ''}}`;
  return {
    what: 'graphql POST', method: 'POST', path, headers: { Authorization: token, 'Content-Type': 'application/json' },
    body: r.chance(0.1) ? hostileBytes(r, body) : Buffer.from(body),
  };
}

// ── JWT ──────────────────────────────────────────────────────────────────────────────────────
const b64 = (s: string | Buffer) => Buffer.from(s).toString('base64url');

/** An HS256 token over any payload text, signed with the real secret: what a key holder could issue. */
function signRaw(payload: string, header = '{"alg":"HS256","typ":"JWT"}'): string {
  const unsigned = `${b64(header)}.${b64(payload)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

function hostileToken(r: Random): string {
  const exp = Math.floor(Date.now() / 1000) + 3600;
  switch (r.int(0, 6)) {
    // Up to what fits in the 16 KB of headers: about 6,000 levels.
    case 0: return signRaw(`{"exp":${exp},"app_id":${hostileJson(r, { maxDepth: 6000, maxLength: 4000 })}}`);
    case 1: return signRaw(`{"exp":${r.pick(['"soon"', '1e400', '-1', '0', 'null', '[]', '99999999999999999999'])},"app_id":"site-a"}`);
    case 2: return signRaw(mutate(r, { exp, app_id: ['site-a'], u: { app_id: 'site-b' } }, { maxDepth: 6000, maxLength: 4000 }));
    case 3: return signRaw(`{"exp":${exp}}`, r.pick(['{"alg":"none"}', '{"alg":"HS256","crit":["x"]}', '{"alg":"RS256"}', '{}', '[]', '{"alg":"HS256","b64":false,"crit":["b64"]}']));
    case 4: return `${b64('{"alg":"none","typ":"JWT"}')}.${b64(`{"exp":${exp}}`)}.`;
    case 5: {
      const t = signRaw(`{"exp":${exp},"app_id":"site-a"}`);
      return r.chance(0.5) ? t.slice(0, r.int(0, t.length)) : `${t.slice(0, -2)}${r.pick(['AA', '__', '=='])}`;
    }
    default: return hostileString(r, 8000).replace(/[^\x20-\x7e\x80-\xff]/g, '?');
  }
}

function jwtCase(r: Random): Case {
  const token = hostileToken(r);
  const authorization = r.pick([token, `Bearer ${token}`, `bearer  ${token}`, `Basic ${token}`, `Bearer ${token} ${token}`]);
  const route = r.pick(['/cubejs-api/v1/load', '/cubejs-api/v1/meta', '/cubejs-api/v1/sql', '/cubejs-api/graphql']);
  if (route === '/cubejs-api/graphql') {
    return { what: 'jwt graphql', method: 'POST', path: route, headers: { Authorization: authorization, 'Content-Type': 'application/json' }, body: Buffer.from('{"query":"{ cube { events { count app_id } } }"}') };
  }
  return { what: `jwt ${route}`, method: 'GET', path: `${route}?query=${encodeURIComponent('{"measures":["events.count"],"dimensions":["events.app_id"]}')}`, headers: { Authorization: authorization } };
}

// ── The run ──────────────────────────────────────────────────────────────────────────────────
const problems: string[] = [];
const statuses = new Map<number, number>();
/** FUZZ_VERBOSE=1: how often each answer came, to see what the generators reach. */
const answers = new Map<string, number>();
let unanswered = 0;

function check(c: Case, a: Answer): void {
  const where = `${c.what} → ${a.status}`;
  if (a.status >= 500 && !(a.status === 503 && a.retryAfter)) problems.push(`${where}: a 5xx other than 503 with Retry-After: ${a.body.toString('utf8').slice(0, 300)}`);
  const text = a.body.toString('utf8');
  if (!a.type?.startsWith('application/json')) { problems.push(`${where}: not JSON (${a.type}): ${text.slice(0, 200)}`); return; }
  let json: { error?: unknown; errors?: unknown; stack?: unknown };
  try { json = JSON.parse(text) as typeof json; } catch { problems.push(`${where}: answer does not parse: ${text.slice(0, 200)}`); return; }
  if (a.status >= 400 && typeof json.error !== 'string' && !Array.isArray(json.errors)) problems.push(`${where}: error answer without a message: ${text.slice(0, 200)}`);
  if (json.stack !== undefined || STACK_TRACE.test(text)) problems.push(`${where}: stack trace in the answer: ${text.slice(0, 300)}`);
  const messages = [json.error, ...(Array.isArray(json.errors) ? json.errors.map((e: { message?: unknown }) => e?.message) : [])];
  if (messages.some((m) => typeof m === 'string' && INTERNAL_MESSAGE.test(m))) problems.push(`${where}: an internal error as the message: ${text.slice(0, 300)}`);
}

async function run(c: Case): Promise<void> {
  let a: Answer;
  try {
    a = await send(c);
  } catch (error) {
    unanswered += 1;
    if (!(c.body && c.body.length > 1024 * 1024)) problems.push(`${c.what}: no answer: ${(error as Error).message}`);
    return;
  }
  statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1);
  if (process.env.FUZZ_VERBOSE) {
    const key = `${c.what} ${a.status} ${a.body.toString('utf8').replace(/"requestId":"[^"]*"/, '').slice(0, 90)}`;
    answers.set(key, (answers.get(key) ?? 0) + 1);
  }
  check(c, a);
}

test('fuzz: hostile queries, GraphQL documents and tokens get 4xx answers in Cube\'s shape, never a 500', { timeout: 600_000 }, async () => {
  const r = fuzzRandom('api');
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  const cases: Case[] = [
    ...Array.from({ length: REQUESTS.load }, () => restCase(r.fork('load'), 'load')),
    ...Array.from({ length: REQUESTS.sql }, () => restCase(r.fork('sql'), 'sql')),
    ...Array.from({ length: REQUESTS.dryRun }, () => restCase(r.fork('dry-run'), 'dry-run')),
    ...Array.from({ length: REQUESTS.graphql }, () => graphqlCase(r.fork('graphql'))),
    ...Array.from({ length: REQUESTS.jwt }, () => jwtCase(r.fork('jwt'))),
  ];
  for (let i = cases.length - 1; i > 0; i--) { const j = r.int(0, i); [cases[i], cases[j]] = [cases[j]!, cases[i]!]; }
  await runPool(cases.length, CONCURRENCY, async (i) => {
    const c = cases[i]!;
    await run(c);
    if (i % 200 === 199) assert.equal((await send({ what: 'livez', method: 'GET', path: '/livez', headers: {} })).status, 200, 'the server answers');
  });
  assert.deepEqual(problems, []);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype untouched');
  assert.equal(({} as Record<string, unknown>).polluted, undefined);

  // The server still answers a valid query with the right number.
  const ok = await send({ what: 'final', method: 'GET', path: `/cubejs-api/v1/load?query=${encodeURIComponent('{"measures":["events.count"]}')}`, headers: { Authorization: admin } });
  assert.equal(ok.status, 200);
  assert.equal(Number((JSON.parse(ok.body.toString()) as { data: { 'events.count': string }[] }).data[0]!['events.count']), fx.rows.length);
  const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
  process.stdout.write(`# ${cases.length} requests (${byStatus}), ${unanswered} closed unanswered\n`);
  for (const [answer, n] of [...answers].sort(([, a], [, b]) => b - a).slice(0, 60)) process.stdout.write(`# ${n} × ${answer}\n`);
});
