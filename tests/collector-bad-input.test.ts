// Hostile and broken input against a real collector and store: the right status for the
// trackers' retry logic, a bad row with the reason, the process alive, other events unharmed.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

let h: CollectorHarness;
const schema = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const tp2 = () => `${h.collector.url}/com.snowplowanalytics.snowplow/tp2`;
const post = (body: string | Blob, type = 'application/json; charset=UTF-8') =>
  fetch(tp2(), { method: 'POST', headers: { 'Content-Type': type }, body });
const ok = (id: string, extra: Record<string, string> = {}) =>
  ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: `00000000-0000-4000-8000-${id.padStart(12, '0')}`, url: 'https://ok.example/', ...extra });
const alive = async () => assert.equal((await fetch(`${h.collector.url}/health`)).status, 200);

before(async () => { h = await startHarness({ COLLECTOR_MAX_BODY_BYTES: String(1024 * 1024) }); });
after(async () => { await h?.close(); });

test('malformed JSON → 400 (never retried) and a bad row with the raw body', async () => {
  const res = await post('{"schema": "iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4", "data": [');
  assert.equal(res.status, 400);
  assert.match(await res.text(), /not valid JSON/);
  const bad = (await h.badRows()).find((b) => b.reason.includes('not valid JSON'));
  assert.ok(bad);
  assert.match(bad.raw, /"data": \[$/);
  assert.equal(bad.source, 'tp2');
  await alive();
});

test('a wrong content type → 400 and a bad row naming it', async () => {
  const res = await post(JSON.stringify({ schema, data: [ok('1')] }), 'text/plain');
  assert.equal(res.status, 400);
  const bad = (await h.badRows()).find((b) => b.reason.includes('text/plain'));
  assert.match(bad!.reason, /^tracker_protocol_violation: content type must be application\/json/);
});

test('a 10 MB body is refused early with 413; the bad row keeps a truncated sample; the server lives on', async () => {
  const huge = Buffer.alloc(10 * 1024 * 1024, 'A');
  huge.write('{"schema":"x","data":[{"e":"pv","page":"', 0);
  const res = await post(new Blob([huge]));
  assert.equal(res.status, 413);
  assert.match(await res.text(), /exceeds the limit of 1048576 bytes/);
  const bad = (await h.badRows()).find((b) => b.reason.startsWith('size_violation'));
  assert.ok(bad);
  assert.match(bad.reason, /10485760 bytes/);
  assert.ok(bad.raw.startsWith('{"schema":"x"'));
  assert.ok(bad.raw.length <= 4096, `sample is ${bad.raw.length} chars`);
  await alive();
  assert.equal((await post(JSON.stringify({ schema, data: [ok('2')] }))).status, 200);
});

test('bad events in a batch become bad rows with reasons; good events in the same batch are kept', async () => {
  const data = [
    ok('10'),
    ok('11', { cx: '***not base64***' }),
    ok('12', { e: 'zz' }),
    { p: 'web', tv: 'js', url: 'https://ok.example/' },
    ok('14', { e: 'pv', tv: '' }),
    ok('15', { sid: 'session-1' }),
    { ...ok('16'), vid: 3 },
    ok('17', { ue_pr: '{"schema":"iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0","data":{"schema":"nope","data":{}}}', e: 'ue' }),
    ok('18'),
  ];
  const res = await post(JSON.stringify({ schema, data }));
  assert.equal(res.status, 200, 'the batch is acknowledged: retrying it would not make the bad events valid');
  const good = await h.events<{ event_id: string }>(`SELECT event_id FROM events WHERE event_id LIKE '00000000-0000-4000-8000-0000000000%' AND event_id >= '00000000-0000-4000-8000-000000000010' ORDER BY 1`);
  assert.deepEqual(good.map((r) => r.event_id.slice(-2)), ['10', '18']);
  const reasons = (await h.badRows()).map((b) => b.reason);
  for (const want of [/cx is not valid base64url/, /unknown event type e="zz"/, /missing required parameter e/, /missing required parameter tv/,
    /sid must be a UUID/, /event #6 parameter "vid" must be a string/, /invalid schema URI: nope/]) {
    assert.ok(reasons.some((r) => want.test(r)), `expected a bad row matching ${want}`);
  }
});

test('hostile strings are stored verbatim as data, never as SQL or markup', async () => {
  const hostile = {
    page: `'); DROP TABLE events; -- <script>alert(1)</script> \u0000 ✓ 🎉`,
    uid: `" OR 1=1 --`,
    se_la: 'x'.repeat(5000),
  };
  const res = await post(JSON.stringify({ schema, data: [{ ...ok('30', { e: 'se', se_ca: 'c', se_ac: 'a' }), ...hostile }, JSON.parse('{"e":"pv","p":"web","tv":"t","eid":"00000000-0000-4000-8000-000000000031","__proto__":"x"}')] }));
  assert.equal(res.status, 200);
  const rows = await h.events<{ event_id: string; page_title: string; user_id: string; se_label: string; etl_tags: string }>(
    `SELECT event_id, page_title, user_id, se_label, etl_tags FROM events WHERE event_id IN ('00000000-0000-4000-8000-000000000030', '00000000-0000-4000-8000-000000000031') ORDER BY event_id`);
  assert.equal(rows.length, 2);
  assert.equal(rows[0].page_title, hostile.page);
  assert.equal(rows[0].user_id, hostile.uid);
  assert.equal(rows[0].se_label.length, 4096, 'cut to the atomic maxLength');
  assert.match(rows[0].etl_tags, /truncated:se_label/);
  await alive();
});

test('a bad pixel event still gets the GIF (no broken image) and leaves a bad row', async () => {
  const res = await fetch(`${h.collector.url}/i?e=pv&p=web&tv=t&dtm=yesterday&eid=00000000-0000-4000-8000-000000000040`);
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/gif');
  const bad = (await h.badRows()).find((b) => b.raw.includes('000000000040'));
  assert.match(bad!.reason, /dtm must be integer milliseconds/);
  assert.equal(bad!.source, 'pixel');
});

test('wrong methods and paths get 404 without a stack trace; the batch API refuses over 512 KB with 413', async () => {
  const res = await fetch(`${h.collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'PUT', body: 'x' });
  assert.equal(res.status, 404);
  assert.doesNotMatch(await res.text(), /\.ts:\d+/);
  const big = JSON.stringify({ events: [{ event_type: 'x', timestamp: 1714557600000, properties: { blob: 'y'.repeat(600 * 1024) } }] });
  const batch = await fetch(`${h.collector.url}/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: big });
  assert.equal(batch.status, 413);
  assert.equal((await batch.json() as { code: string }).code, 'payload_too_large');
  await alive();
});
