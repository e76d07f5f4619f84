// Regression (issue #18): one hostile request stopped ingestion for good. A tp2 body nesting
// 100,000 deep was acknowledged, then every flush failed on it ("Maximum call stack size
// exceeded") and the valid events after it never landed, not even after a restart. Deep JSON is
// now refused at the envelope, and a spooled record that fails enrichment for any reason becomes
// a bad row while the rest of its segment is written.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { encodeRawRecord } from '../collector/src/protocol/raw-record.ts';
import { loadStorageConfig, openEventStore } from '../collector/src/storage/index.ts';
import { queryParquet } from '../collector/src/storage/test-events.ts';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

const SCHEMA = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const DEEP = 100_000;
const deepArray = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`;
const valid = (eid: string) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid, url: 'https://ok.example/' });

let h: CollectorHarness;
before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

const tp2 = (body: string) => fetch(`${h.collector.url}/com.snowplowanalytics.snowplow/tp2`, {
  method: 'POST', headers: { 'Content-Type': 'application/json' }, body,
});

const poisons: [string, string][] = [
  ['data as an array nested 100,000 deep', `{"schema":"${SCHEMA}","data":${deepArray(DEEP)}}`],
  ['a data item nested 100,000 deep', `{"schema":"${SCHEMA}","data":[${JSON.stringify(valid(randomUUID()))},${deepObject(DEEP)}]}`],
  ['a parameter value nested 100,000 deep', `{"schema":"${SCHEMA}","data":[{"e":"pv","p":"web","tv":"t","x":${deepObject(DEEP)}}]}`],
];

for (const [what, body] of poisons) {
  test(`poison pill: a tp2 body with ${what} is refused with 400 and a valid event sent after it lands`, async () => {
    const res = await tp2(body);
    assert.equal(res.status, 400);
    assert.match(await res.text(), /nests deeper than \d+ levels/);
    const eid = randomUUID();
    assert.equal((await tp2(JSON.stringify({ schema: SCHEMA, data: [valid(eid)] }))).status, 200);
    const rows = await h.events<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE event_id = '${eid}'`);
    assert.equal(rows[0]!.n, 1);
    const bad = (await h.badRows()).filter((b) => b.reason.includes('nests deeper'));
    assert.ok(bad.length > 0, 'the refused body is kept as a bad row');
    assert.ok(bad.every((b) => b.raw.length < 70_000), 'with a bounded sample');
  });
}

test('poison pill: /events/batch with properties nested 10,000 deep answers 400, not 500', async () => {
  const body = `{"events":[{"event_type":"x","timestamp":1714557600000,"properties":${deepObject(10_000)}}]}`;
  const res = await fetch(`${h.collector.url}/events/batch`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
  assert.equal(res.status, 400);
  const answer = await res.json() as { error: string; code: string };
  assert.equal(answer.code, 'bad_request');
  assert.match(answer.error, /nests deeper than \d+ levels/);
  assert.equal((await fetch(`${h.collector.url}/health`)).status, 200);
});

test('a bad row whose sample ends inside a surrogate pair is kept (the reader dropped lines with a lone surrogate)', async () => {
  const marker = `lone-surrogate-${randomUUID()}`;
  const body = `{"${marker}":"${'x'.repeat(64 * 1024 - marker.length - 6)}😀😀 not JSON`;
  const res = await tp2(body);
  assert.equal(res.status, 400);
  const bad = (await h.badRows()).filter((b) => b.raw.includes(marker));
  assert.equal(bad.length, 1);
  assert.match(bad[0]!.reason, /not valid JSON/);
  assert.match(bad[0]!.raw, /\ufffd…\[truncated, \d+ chars\]$/);
});

test('poison pill in the spool: a record that fails enrichment becomes a bad row; replay writes the rest of its segment', { timeout: 60_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-poison-'));
  try {
    const segments = join(root, 'spool', 'segments');
    await mkdir(segments, { recursive: true });
    const t = Date.UTC(2026, 2, 3, 10);
    const before = randomUUID();
    const afterIt = randomUUID();
    // As a collector without the envelope check spooled it: acknowledged, between two valid requests.
    const lines = [
      encodeRawRecord({ t, src: 'tp2' }, JSON.stringify({ schema: SCHEMA, data: [valid(before)] })),
      encodeRawRecord({ t: t + 1, src: 'tp2' }, `{"schema":"${SCHEMA}","data":${deepArray(DEEP)}}`),
      encodeRawRecord({ t: t + 2, src: 'tp2' }, `{"schema":"${SCHEMA}","data":[{"e":"pv","p":"web","tv":"t","x":${deepObject(DEEP)}}]}`),
      encodeRawRecord({ t: t + 3, src: 'tp2' }, JSON.stringify({ schema: SCHEMA, data: [valid(afterIt)] })),
    ];
    await writeFile(join(segments, `seg-000000000001-${randomUUID()}.ndjson`), lines.join(''));
    const store = await openEventStore(loadStorageConfig({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0' }), { geoip: 'off' });
    await store.flush();
    const stats = store.stats();
    await store.close();
    const ids = (await queryParquet(root, (from) => `SELECT event_id FROM ${from} ORDER BY event_id`)).map((r) => r.event_id);
    assert.deepEqual(ids, [before, afterIt].sort());
    assert.equal(stats.eventsEnrichedGood, 2);
    assert.equal(stats.eventsEnrichedBad, 2, 'each poison record is one bad row');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
