// Fuzzes every collector boundary (tp2 POST, the GET pixel, /events/batch, and raw HTTP with lying
// lengths) with generated hostile requests, valid events sent among them, against a real collector
// and store. Checks: the process answers throughout; no 5xx but 503/429 with Retry-After; every
// error answer is JSON without a stack trace; the store flushes (no poison record); and every valid
// event lands exactly once, while the valid events of a refused request land not at all; and no
// prototype is polluted.
// Seeded: the seed is printed; FUZZ_SEED=<seed> replays a run. Bounded by request counts.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { startHarness, type CollectorHarness } from './collector-harness.ts';
import {
  fuzzRandom, hostileBytes, hostileJson, hostileString, mutate, pct, PROTOTYPE_NAMES, runPool, STACK_TRACE, type Random,
} from './fuzz-values.ts';

const SCHEMA = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const REQUESTS = { tp2: 600, pixel: 600, batch: 500, raw: 40 };
const CONCURRENCY = 8;

let h: CollectorHarness;
// Proxy headers trusted, so X-Forwarded-For and Forwarded are read (and fuzzed) too.
before(async () => { h = await startHarness({ COLLECTOR_TRUST_PROXY: 'true' }); });
after(async () => { agent.destroy(); await h?.close(); });

/** What a request's valid events must do: land when it was acknowledged (200), else not at all. */
interface Tracked { readonly eids: readonly string[]; readonly mustSucceed: boolean }

interface Case {
  readonly what: string;
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  readonly body?: Buffer | string;
  readonly tracked?: Tracked;
}

const landed = new Set<string>();
const refused = new Set<string>();
const problems: string[] = [];

function validParams(r: Random, eid: string): Record<string, string> {
  return { e: r.pick(['pv', 'pp', 'se']), p: 'web', tv: 'js-4.10.1', aid: 'fuzz', eid, url: `https://fuzz.example/${r.int(0, 9)}`, se_ca: 'c', se_ac: 'a', dtm: String(Date.now()) };
}

const PARAMS = ['e', 'p', 'tv', 'eid', 'url', 'refr', 'page', 'dtm', 'stm', 'ttm', 'ue_pr', 'ue_px', 'co', 'cx', 'res', 'vp', 'ds', 'cd', 'tz', 'lang',
  'aid', 'uid', 'duid', 'sid', 'vid', 'nuid', 'tnuid', 'ip', 'ua', 'tr_tt', 'ti_pr', 'ti_qu', 'se_va', 'pp_mix', 'pp_may', 'f_pdf', 'cookie', 'cs', 'mac', ...PROTOTYPE_NAMES];

/** A tracker event with one parameter made hostile (still a map of strings: it reaches enrichment). */
function hostileParams(r: Random): Record<string, string> {
  const params = validParams(r, r.uuid());
  const key = r.pick(PARAMS);
  const json = () => hostileJson(r, { maxDepth: r.chance(0.3) ? 30 : 100_000, maxLength: 100_000 });
  const value = key === 'ue_pr' || key === 'co' ? json()
    : key === 'ue_px' || key === 'cx' ? (r.chance(0.8) ? Buffer.from(json()).toString(r.pick(['base64', 'base64url'])) : hostileString(r, 10_000))
    : hostileString(r, 100_000);
  Object.defineProperty(params, key, { value, enumerable: true, configurable: true, writable: true });
  if (key === 'ue_pr' || key === 'ue_px') params.e = 'ue';
  return params;
}

function tp2Case(r: Random): Case {
  const roll = r.next();
  const post = (what: string, body: Buffer | string, tracked?: Tracked, headers: Record<string, string> = { 'Content-Type': 'application/json; charset=UTF-8' }): Case =>
    ({ what, method: 'POST', path: '/com.snowplowanalytics.snowplow/tp2', headers, body, ...(tracked ? { tracked } : {}) });
  if (roll < 0.3) {
    const eids = Array.from({ length: r.int(1, 5) }, () => r.uuid());
    return post('tp2 valid', JSON.stringify({ schema: SCHEMA, data: eids.map((eid) => validParams(r, eid)) }), { eids, mustSucceed: true });
  }
  if (roll < 0.6) {
    // Valid events and hostile items in one envelope: the hostile ones become bad rows, or the whole body is refused.
    const eids = Array.from({ length: r.int(1, 4) }, () => r.uuid());
    const items = eids.map((eid) => JSON.stringify(validParams(r, eid)));
    for (let i = r.int(1, 4); i > 0; i--) {
      items.splice(r.int(0, items.length), 0, r.chance(0.6) ? JSON.stringify(hostileParams(r)) : mutate(r, validParams(r, r.uuid()), { maxLength: 100_000 }));
    }
    return post('tp2 mixed', `{"schema":"${SCHEMA}","data":[${items.join(',')}]}`, { eids, mustSucceed: false });
  }
  const valid = { schema: SCHEMA, data: [validParams(r, r.uuid())] };
  switch (r.int(0, 4)) {
    case 0: return post('tp2 hostile envelope', mutate(r, valid));
    case 1: return post('tp2 hostile bytes', hostileBytes(r, JSON.stringify(valid)));
    case 2: return post('tp2 content type', JSON.stringify(valid), undefined, { 'Content-Type': hostileString(r, 200).replace(/[^\x20-\x7e]/g, '?') });
    case 3: {
      const encoding = r.pick(['gzip', 'deflate', 'br', 'x-gzip', 'compress', 'gzip, gzip', '']);
      const body = r.chance(0.5) ? gzipSync(Buffer.from(mutate(r, valid))) : hostileBytes(r, JSON.stringify(valid));
      return post('tp2 content encoding', body, undefined, { 'Content-Type': 'application/json', 'Content-Encoding': encoding });
    }
    default: return post('tp2 deep data', `{"schema":"${SCHEMA}","data":${hostileJson(r)}}`);
  }
}

function pixelCase(r: Random): Case {
  const path = r.pick(['/i', '/ice.png', '/com.snowplowanalytics.snowplow/i', '/com.snowplowanalytics.snowplow/tp2']);
  const query = (params: Record<string, string>) => Object.entries(params).map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&');
  if (r.chance(0.3)) {
    const eid = r.uuid();
    return { what: 'pixel valid', method: 'GET', path: `${path}?${query(validParams(r, eid))}`, tracked: { eids: [eid], mustSucceed: true } };
  }
  const method = r.chance(0.9) ? 'GET' : 'HEAD';
  switch (r.int(0, 3)) {
    case 0: return { what: 'pixel hostile parameter', method, path: `${path}?${query(hostileParams(r)).slice(0, 60_000)}` };
    case 1: {
      // Percent-encoding that decodes to nothing valid: bad escapes, overlong and surrogate UTF-8.
      const junk = Array.from({ length: r.int(1, 200) }, () => r.pick(['%', '%z', '%zz', '%c0%af', '%ed%a0%80', '%ff', '%00', '&', '=', '==', '&&', '+', ';'])).join('');
      return { what: 'pixel bad escapes', method, path: `${path}?e=pv&p=web&tv=t&${junk}` };
    }
    case 2: return { what: 'pixel huge query', method, path: `${path}?e=pv&p=web&tv=t&page=${'x'.repeat(r.int(10_000, 80_000))}` };
    default: {
      const key = r.pick(PROTOTYPE_NAMES);
      return { what: 'pixel prototype names', method, path: `${path}?${key}=${pct(hostileString(r, 1000))}&e=pv&p=web&tv=t&${key}=1&${key}[x]=2` };
    }
  }
}

function batchEvent(r: Random, eventId: string): Record<string, unknown> {
  return { event_id: eventId, event_type: r.pick(['page_view', 'signup', 'purchase']), timestamp: Date.now() - r.int(0, 1000), app_id: 'fuzz',
    url: 'https://fuzz.example/b', properties: { plan: 'pro', n: r.int(0, 99), tags: ['a', 'b'] } };
}

function batchCase(r: Random): Case {
  const post = (what: string, body: Buffer | string, tracked?: Tracked, type = 'application/json'): Case =>
    ({ what, method: 'POST', path: '/events/batch', headers: { 'Content-Type': type }, body, ...(tracked ? { tracked } : {}) });
  const roll = r.next();
  if (roll < 0.3) {
    const eids = Array.from({ length: r.int(1, 5) }, () => r.uuid());
    return post('batch valid', JSON.stringify({ events: eids.map((id) => batchEvent(r, id)) }), { eids, mustSucceed: true });
  }
  if (roll < 0.6) {
    const eids = Array.from({ length: r.int(1, 4) }, () => r.uuid());
    const events = eids.map((id) => JSON.stringify(batchEvent(r, id)));
    for (let i = r.int(1, 4); i > 0; i--) events.splice(r.int(0, events.length), 0, mutate(r, batchEvent(r, r.uuid()), { maxLength: 60_000 }));
    return post('batch mixed', `{"app_id":"fuzz","events":[${events.join(',')}]}`, { eids, mustSucceed: false });
  }
  const valid = { events: [batchEvent(r, r.uuid())] };
  switch (r.int(0, 3)) {
    case 0: return post('batch hostile body', mutate(r, valid, { maxLength: 60_000 }));
    case 1: return post('batch hostile bytes', hostileBytes(r, JSON.stringify(valid)));
    case 2: return post('batch too many events', JSON.stringify({ events: Array.from({ length: r.int(501, 600) }, () => ({ event_type: 'x', timestamp: 1 })) }));
    default: return post('batch content type', JSON.stringify(valid), undefined, r.pick(['text/plain', 'application/json; charset=latin1', 'application/x-www-form-urlencoded', '']));
  }
}

const HEADERS = ['User-Agent', 'Referer', 'Cookie', 'Origin', 'SP-Anonymous', 'X-Forwarded-For', 'Forwarded', 'X-Real-Ip', 'Accept-Language'];

/** Request headers a client controls, made hostile (as far as HTTP lets a header value be: bytes
 *  0x20-0x7e and 0x80-0xff: no controls). */
function hostileHeaders(r: Random): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = r.int(1, 3); i > 0; i--) {
    const name = r.pick(HEADERS);
    const value = hostileString(r, 8000).replace(/[^\x20-\x7e\x80-\xff]/g, '?');
    out[name] = name === 'Cookie' ? `sp=${value}; ${value}` : name === 'X-Forwarded-For' && r.chance(0.5) ? `${value}, 203.0.113.${r.int(0, 300)}` : value;
  }
  return out;
}

/** Some requests, valid ones included, carry hostile headers too: what enrichment reads of the request. */
function withHeaders(r: Random, c: Case): Case {
  return r.chance(0.2) ? { ...c, headers: { ...c.headers, ...hostileHeaders(r) } } : c;
}

type Answer = { status: number; retryAfter: string | undefined; body: Buffer };

const agent = new Agent({ keepAlive: true });

/** node:http rather than fetch: it sends any header a client could (fetch refuses some, such as
 *  a Referer that is no URL) and reads answers with big headers. */
function send(c: Case): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = typeof c.body === 'string' ? Buffer.from(c.body) : c.body;
    const req = request(`${h.collector.url}${c.path}`, {
      method: c.method, agent, maxHeaderSize: 1024 * 1024,
      headers: { ...c.headers, ...(body ? { 'Content-Length': String(body.length) } : {}) },
    }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (d: Buffer) => chunks.push(d));
      res.on('error', reject);
      res.on('end', () => {
        const retry = res.headers['retry-after'];
        resolve({ status: res.statusCode ?? 0, retryAfter: Array.isArray(retry) ? retry[0] : retry, body: Buffer.concat(chunks) });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** The checks every answer must pass; problems are collected so one run reports them all. */
function check(c: Case, a: Answer): void {
  const where = `${c.what} → ${a.status}`;
  if (a.status >= 500 && !(a.status === 503 && a.retryAfter)) problems.push(`${where}: a 5xx other than 503 with Retry-After`);
  if (a.status === 429 && !a.retryAfter) problems.push(`${where}: 429 without Retry-After`);
  if (a.status >= 400 && c.method !== 'HEAD' && a.status !== 431) {
    const text = a.body.toString('utf8');
    let json: { error?: unknown } | undefined;
    try { json = JSON.parse(text) as { error?: unknown }; } catch { problems.push(`${where}: error answer is not JSON: ${text.slice(0, 200)}`); }
    if (json && typeof json.error !== 'string') problems.push(`${where}: error answer has no message: ${text.slice(0, 200)}`);
    if (STACK_TRACE.test(text)) problems.push(`${where}: stack trace in the answer: ${text.slice(0, 300)}`);
  }
}

/** Requests the server closed without an answer (a 413 drained past its cap, a header too large). */
let unanswered = 0;

async function run(c: Case): Promise<void> {
  let a: Answer;
  try {
    a = await send(c);
  } catch (error) {
    unanswered += 1;
    if (c.tracked) problems.push(`${c.what}: no answer: ${(error as Error).message}`);
    return;
  }
  check(c, a);
  // Trackers retry 503 and 429 later: so does the fuzzer, for requests carrying valid events.
  for (let tries = 0; c.tracked && (a.status === 503 || a.status === 429) && tries < 20; tries++) {
    await new Promise((resolve) => setTimeout(resolve, 200 * Math.min(5, Number(a.retryAfter) || 1)));
    a = await send(c);
    check(c, a);
  }
  if (!c.tracked) return;
  if (a.status === 200) for (const eid of c.tracked.eids) landed.add(eid);
  else if (c.tracked.mustSucceed) problems.push(`${c.what} → ${a.status}: a valid request was refused: ${a.body.toString('utf8').slice(0, 200)}`);
  else for (const eid of c.tracked.eids) refused.add(eid);
}

/** A raw HTTP exchange: a Content-Length that lies (the body cut short, the socket closed) or
 *  junk framing. Resolves with the status line's code, or undefined when the server just closed. */
function rawExchange(port: number, request: Buffer): Promise<number | undefined> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (d: Buffer) => chunks.push(d));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const m = /^HTTP\/1\.1 (\d{3})/.exec(Buffer.concat(chunks).toString('latin1'));
      resolve(m ? Number(m[1]) : undefined);
    });
    socket.end(request);
  });
}

function rawCase(r: Random): Buffer {
  const path = r.pick(['/com.snowplowanalytics.snowplow/tp2', '/events/batch']);
  const body = Buffer.from(JSON.stringify({ schema: SCHEMA, data: [validParams(r, r.uuid())] }));
  const cut = body.subarray(0, r.int(0, body.length - 1));
  switch (r.int(0, 3)) {
    case 0: return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`), cut]);
    case 1: return Buffer.concat([Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${cut.length.toString(16)}\r\n`), cut, Buffer.from('\r\nzz\r\n')]);
    case 2: return Buffer.concat([Buffer.from(`GET /i?e=pv&p=web&tv=t&page=`), Buffer.from([0xff, 0x00, 0xc0, 0xaf]), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]);
    default: return Buffer.from(`POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 500\r\n\r\n{}`);
  }
}

test('fuzz: hostile requests to tp2, the pixel and /events/batch never stop the collector or lose a valid event', { timeout: 600_000 }, async () => {
  const r = fuzzRandom('collector');
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  // Generated up front and in order, so the seed alone decides every request.
  const cases: Case[] = [
    ...Array.from({ length: REQUESTS.tp2 }, () => withHeaders(r, tp2Case(r.fork('tp2')))),
    ...Array.from({ length: REQUESTS.pixel }, () => withHeaders(r, pixelCase(r.fork('pixel')))),
    ...Array.from({ length: REQUESTS.batch }, () => withHeaders(r, batchCase(r.fork('batch')))),
  ];
  // Interleaved, so hostile and valid requests share segments and flushes.
  for (let i = cases.length - 1; i > 0; i--) { const j = r.int(0, i); [cases[i], cases[j]] = [cases[j]!, cases[i]!]; }
  const port = Number(new URL(h.collector.url).port);
  const raws = Array.from({ length: REQUESTS.raw }, () => rawCase(r.fork('raw')));

  await runPool(cases.length, CONCURRENCY, async (i) => {
    await run(cases[i]!);
    if (i % 200 === 199) {
      assert.equal((await send({ what: 'health', method: 'GET', path: '/health' })).status, 200, 'the collector answers');
      // A record that can never be enriched would make this throw from now on.
      await h.collector.store.flush();
    }
  });
  for (const raw of raws) {
    const status = await rawExchange(port, raw);
    if (status !== undefined && status >= 500) problems.push(`raw request → ${status}`);
  }
  assert.equal((await send({ what: 'health', method: 'GET', path: '/health' })).status, 200, 'the collector answers');

  assert.deepEqual(problems, []);
  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeKeys, 'Object.prototype untouched');
  const expected = [...landed];
  assert.ok(expected.length > 300, `valid events were sent (${expected.length})`);
  const counts = new Map((await h.events<{ event_id: string; n: number }>(
    `SELECT event_id, count(*)::INTEGER AS n FROM events WHERE app_id = 'fuzz' GROUP BY event_id`)).map((row) => [row.event_id, row.n]));
  const missing = expected.filter((eid) => counts.get(eid) === undefined);
  const repeated = expected.filter((eid) => (counts.get(eid) ?? 0) > 1);
  const leaked = [...refused].filter((eid) => counts.has(eid));
  assert.deepEqual({ missing, repeated, leaked }, { missing: [], repeated: [], leaked: [] });
  const stats = h.collector.store.stats();
  process.stdout.write(`# ${cases.length + raws.length} requests; ${expected.length} valid events landed once, ${refused.size} refused with their request; `
    + `${stats.badRows} bad rows; ${unanswered} closed unanswered\n`);
});
