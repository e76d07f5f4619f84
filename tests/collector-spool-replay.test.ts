// Replay after a crash reads both spool formats: segments written before raw records existed
// (enriched events and {"bad": …} lines, one per event) and raw request records (enriched at
// replay). Every event lands in Parquet once, bad rows keep their reasons, a torn last line is skipped.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEventStore, loadStorageConfig } from '../collector/src/storage/index.ts';
import { serialize } from '../collector/src/storage/serialize.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { encodeRawRecord } from '../collector/src/protocol/raw-record.ts';

const t = Date.UTC(2026, 2, 3, 10);
const schema = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';

async function readBack(root: string): Promise<{ ids: string[]; rows: Record<string, unknown>[]; bad: { reason: string; source: string | null }[] }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const rows = (await conn.runAndReadAll(`SELECT event_id, app_id, network_userid, user_ipaddress, page_urlpath, mkt_source, br_family, event_name
      FROM read_parquet('${root}/events/*/*.parquet') ORDER BY event_id`)).getRowObjectsJson() as Record<string, unknown>[];
    const bad = (await conn.runAndReadAll(`SELECT reason, source FROM read_json_auto('${root}/bad/*/*.ndjson', format = 'newline_delimited') ORDER BY reason`))
      .getRowObjectsJson() as { reason: string; source: string | null }[];
    return { ids: rows.map((r) => String(r.event_id)), rows, bad };
  } finally {
    conn.closeSync(); db.closeSync();
  }
}

test('a spool left by a crash replays old-format (enriched) and raw-record segments alike', { timeout: 60_000 }, async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-replay-'));
  try {
    const segments = join(root, 'spool', 'segments');
    await mkdir(segments, { recursive: true });
    const old = [makeEvent(t), makeEvent(t + 1), makeEvent(t + 2)];
    const oldBad = { raw: '{"e":"pv","dtm":"yesterday"}', reason: 'schema_violation: dtm: not a timestamp', time: t, source: 'tp2' };
    await writeFile(join(segments, `seg-000000000001-${randomUUID()}.ndjson`), serialize(old, [oldBad]));

    const rawIds = [randomUUID(), randomUUID()];
    const body = JSON.stringify({ schema, data: [
      { e: 'pv', p: 'web', tv: 'js-4.10.1', aid: 'replay', eid: rawIds[0], url: 'https://shop.example/cart?utm_source=news' },
      { e: 'pv', p: 'web', tv: 'js-4.10.1', aid: 'replay', eid: 'not-a-uuid' },
      { e: 'pp', p: 'web', tv: 'js-4.10.1', aid: 'replay', eid: rawIds[1], url: 'https://shop.example/a' },
      { e: 'pv', p: 7 },
    ] }, null, 1); // pretty-printed: newlines in a body must not split the record
    const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
    const record = encodeRawRecord({ t: t + 10, src: 'tp2', ip: '203.0.113.7', ua, nuid: 'nuid-1', q: 'aid=replay' }, body);
    const torn = encodeRawRecord({ t: t + 20, src: 'tp2' }, JSON.stringify({ schema, data: [{ e: 'pv', p: 'web', tv: 't', eid: randomUUID() }] }));
    await writeFile(join(segments, `seg-000000000002-${randomUUID()}.ndjson`), record + torn.slice(0, torn.length - 20));

    const store = await openEventStore(loadStorageConfig({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0' }), { geoip: 'off' });
    await store.flush();
    const stats = store.stats();
    await store.close();

    const { ids, rows, bad } = await readBack(root);
    assert.deepEqual(ids, [...old.map((e) => String(e.event_id)), ...rawIds].sort(), 'every event once, the torn record skipped');
    const cart = rows.find((r) => r.event_id === rawIds[0])!;
    assert.equal(cart.app_id, 'replay');
    assert.equal(cart.network_userid, 'nuid-1', 'the sp cookie captured at receive time');
    assert.equal(cart.user_ipaddress, '203.0.113.x', 'the address captured at receive time, anonymised at enrichment');
    assert.equal(cart.page_urlpath, '/cart');
    assert.equal(cart.mkt_source, 'news');
    assert.equal(cart.br_family, 'Firefox');
    assert.deepEqual(bad.map((b) => b.reason), [
      oldBad.reason,
      'schema_violation: eid must be a UUID, got "not-a-uuid"',
      'tracker_protocol_violation: event #3 parameter "p" must be a string, got number',
    ].sort());
    assert.ok(bad.every((b) => b.source === 'tp2'));
    assert.equal(stats.eventsEnrichedGood, 2);
    assert.equal(stats.eventsEnrichedBad, 2);
    assert.equal(stats.spoolEvents, 0);
    assert.deepEqual(await readdir(segments), [], 'replayed segments are released');
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});
