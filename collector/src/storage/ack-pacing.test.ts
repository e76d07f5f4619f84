// Ack pacing against the real store (spool, enrichment worker, Parquet) over a temp dir: an ack
// beyond the backlog limit waits for the worker to read on, or for the max hold when the worker
// cannot; close releases every held ack; limit 0 never holds. Nothing acked is lost either way.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, loadStorageConfig, type EventStore, type EventStoreStats } from './index.ts';
import { queryParquet } from './test-events.ts';
import { encodeRawRecord } from '../protocol/raw-record.ts';

const t0 = Date.UTC(2026, 0, 3, 12);
let seq = 0;
/** One tp2 request of `n` page views, as the request path spools it. */
function request(n: number): string {
  const data = Array.from({ length: n }, () => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', url: 'https://a.example/',
    eid: `00000000-0000-4000-8000-${String(seq++).padStart(12, '0')}` }));
  return encodeRawRecord({ t: t0, src: 'tp2' }, JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data }));
}

async function tempRoot(): Promise<string> { return mkdtemp(join(tmpdir(), 'webcube-pacing-')); }
/** Flushes only when asked (or when a held ack kicks one). */
const cfg = (root: string, extra: Record<string, string>) =>
  loadStorageConfig({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', ...extra });
/** The store's stats with the pacing figures, which the store always gives. */
const paced = (store: EventStore) => store.stats() as Required<EventStoreStats>;
const eventsInParquet = async (root: string) =>
  (await queryParquet(root, (from) => `SELECT count(DISTINCT event_id)::INT AS n FROM ${from}`))[0]!.n;
/** A MaxMind path that does not exist: the worker dies at start, every time; nothing is ever read. */
const deadWorker = (root: string) => ({ geoip: join(root, 'missing.mmdb') });

test('an ack beyond the backlog limit is held until the worker has read on; every event lands in Parquet', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_BACKLOG_MAX_EVENTS: '50', COLLECTOR_ACK_HOLD_MAX_MS: '60000' }), { geoip: 'off' });
  try {
    await store.appendRaw(request(25), 25);
    await store.appendRaw(request(25), 25);
    assert.equal(paced(store).acksPaced, 0, 'at the limit: not held');
    assert.equal(paced(store).backlogEvents, 50, 'no flush has run: nothing read');
    let backlogAtAck = -1;
    await store.appendRaw(request(25), 25).then(() => { backlogAtAck = paced(store).backlogEvents; });
    assert.equal(paced(store).acksPaced, 1);
    // Pacing runs on over the worker's pauses by at most a quarter of the limit; unpaced, it would be 75.
    assert.ok(backlogAtAck >= 0 && backlogAtAck <= 50 + 50 / 4, `acked only once the worker had read on (backlog ${backlogAtAck})`);
    await store.appendRaw(request(10), 10);
    await store.flush();
    assert.equal(paced(store).backlogEvents, 0);
    assert.equal(await eventsInParquet(root), 85);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});

test('with the worker down, a held ack is released after COLLECTOR_ACK_HOLD_MAX_MS', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_BACKLOG_MAX_EVENTS: '10', COLLECTOR_ACK_HOLD_MAX_MS: '300' }), deadWorker(root));
  try {
    const started = performance.now();
    await store.appendRaw(request(25), 25);
    assert.ok(performance.now() - started >= 299, 'held until the deadline');
    assert.equal(paced(store).acksPaced, 1);
    assert.equal(paced(store).backlogEvents, 25, 'released by the deadline, not by progress');
  } finally { await store.close().catch(() => undefined); await rm(root, { recursive: true, force: true }); }
});

test('close releases every held ack at once', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_BACKLOG_MAX_EVENTS: '10', COLLECTOR_ACK_HOLD_MAX_MS: '60000' }), deadWorker(root));
  try {
    let acked = 0;
    const acks = [store.appendRaw(request(25), 25), store.appendRaw(request(25), 25)].map((p) => p.then(() => { acked += 1; }));
    while (paced(store).acksPaced < 2) await new Promise((r) => setTimeout(r, 5));
    assert.equal(acked, 0);
    const closing = store.close().catch(() => undefined);
    await Promise.all(acks);
    assert.equal(acked, 2);
    await closing;
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('COLLECTOR_BACKLOG_MAX_EVENTS=0 never holds an ack, and the backlog is still counted', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_BACKLOG_MAX_EVENTS: '0' }), { geoip: 'off' });
  try {
    await Promise.all(Array.from({ length: 8 }, () => store.appendRaw(request(25), 25)));
    assert.equal(paced(store).acksPaced, 0);
    assert.equal(paced(store).backlogEvents, 200);
    await store.flush();
    assert.equal(paced(store).backlogEvents, 0);
    assert.equal(await eventsInParquet(root), 200);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});

test('COLLECTOR_BACKLOG_MAX_EVENTS and COLLECTOR_ACK_HOLD_MAX_MS: defaults, and bad values named', () => {
  const c = loadStorageConfig({});
  assert.equal(c.backlogMaxEvents, 200_000);
  assert.equal(c.ackHoldMaxMs, 1000);
  assert.throws(() => loadStorageConfig({ COLLECTOR_BACKLOG_MAX_EVENTS: '-1' }), /COLLECTOR_BACKLOG_MAX_EVENTS/);
  assert.throws(() => loadStorageConfig({ COLLECTOR_ACK_HOLD_MAX_MS: 'a while' }), /COLLECTOR_ACK_HOLD_MAX_MS/);
});
