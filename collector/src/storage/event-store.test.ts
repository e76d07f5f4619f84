// EventStore against real DuckDB, real files and a real S3-protocol server: columns and types,
// partitioning, bad rows, dedupe across flushes, crash replay, overload refusal.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, readFile, writeFile, mkdir, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { atomicColumns } from '../atomic/columns.ts';
import { openEventStore, loadStorageConfig, StoreFullError } from './index.ts';
import { makeEvent, queryParquet } from './test-events.ts';
import { encodeRawRecord } from '../protocol/raw-record.ts';
import { startS3TestServer } from '../sinks/s3-test-server.ts';
import { openS3Sink } from '../sinks/s3.ts';

const day1 = Date.UTC(2026, 0, 2, 23, 59, 59, 900);
const day2 = Date.UTC(2026, 0, 3, 0, 0, 0, 100);

async function tempRoot(): Promise<string> { return mkdtemp(join(tmpdir(), 'webcube-store-')); }
const cfg = (root: string, extra: Record<string, string> = {}) =>
  loadStorageConfig({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', ...extra });

test('flush writes one zstd Parquet file per UTC day with exactly the atomic columns and types', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root));
  try {
    await store.append([makeEvent(day1), makeEvent(day2), makeEvent(day2, { geo_city: "O'Hare" })], []);
    await store.flush();
    const days = (await readdir(join(root, 'events'))).sort();
    assert.deepEqual(days, ['dt=2026-01-02', 'dt=2026-01-03']);
    const files = await readdir(join(root, 'events', 'dt=2026-01-03'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^part-20260103T000000100Z-[0-9a-f-]{36}\.parquet$/);
    const schema = await queryParquet(root, () =>
      `SELECT name, type, converted_type, logical_type FROM parquet_schema('${join(root, 'events', 'dt=2026-01-03', files[0]!)}') WHERE name <> 'duckdb_schema'`);
    assert.deepEqual(schema.map((r) => r.name), atomicColumns.map((c) => c.name));
    const meta = await queryParquet(root, () =>
      `SELECT DISTINCT compression FROM parquet_metadata('${join(root, 'events', 'dt=2026-01-03', files[0]!)}')`);
    assert.deepEqual(meta.map((r) => r.compression), ['ZSTD']);
    const rows = await queryParquet(root, (from) => `SELECT dt, count(*)::INT AS n, min(typeof(collector_tstamp)) AS t,
      min(typeof(tr_total)) AS m, min(typeof(domain_sessionidx)) AS si, bool_and(br_cookies) AS c, max(geo_city) AS city,
      min(strftime(collector_tstamp, '%H:%M:%S.%g')) AS first FROM ${from} GROUP BY dt ORDER BY dt`);
    assert.deepEqual(rows, [
      { dt: '2026-01-02', n: 1, t: 'TIMESTAMP', m: 'DECIMAL(18,2)', si: 'SMALLINT', c: true, city: null, first: '23:59:59.900' },
      { dt: '2026-01-03', n: 2, t: 'TIMESTAMP', m: 'DECIMAL(18,2)', si: 'SMALLINT', c: true, city: "O'Hare", first: '00:00:00.100' },
    ]);
    assert.equal(store.stats().eventsWritten, 3);
    assert.equal(store.stats().filesWritten, 2);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});

test('bad rows land as NDJSON under bad/dt=… with raw, reason, time and source', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root));
  try {
    await store.append([], [{ raw: '{"x":1}\n\t"', reason: 'payload_data: e is required', time: day2, source: '/com.snowplowanalytics.snowplow/tp2' }]);
    await store.close();
    const files = await readdir(join(root, 'bad', 'dt=2026-01-03'));
    assert.equal(files.length, 1);
    const lines = (await readFile(join(root, 'bad', 'dt=2026-01-03', files[0]!), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    assert.deepEqual(lines, [{ raw: '{"x":1}\n\t"', reason: 'payload_data: e is required', time: day2, source: '/com.snowplowanalytics.snowplow/tp2' }]);
    assert.equal(store.stats().badRows, 1);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('duplicates (same event_id + fingerprint) are dropped within a batch, across flushes and across restarts', async () => {
  const root = await tempRoot();
  const e = makeEvent(day2);
  const sameIdOtherFingerprint = { ...e, event_fingerprint: 'other' };
  let store = await openEventStore(cfg(root));
  await store.append([e, e, sameIdOtherFingerprint], []);
  await store.flush();
  await store.append([{ ...e, collector_tstamp: day2 + 5000 }], []);
  await store.flush();
  assert.equal(store.stats().duplicatesDropped, 2);
  await store.close();
  store = await openEventStore(cfg(root));
  await store.append([e], []);
  await store.close();
  const rows = await queryParquet(root, (from) => `SELECT event_fingerprint AS f, count(*)::INT AS n FROM ${from} GROUP BY 1 ORDER BY 1`);
  assert.deepEqual(rows, [{ f: 'fp', n: 1 }, { f: 'other', n: 1 }]);
  await rm(root, { recursive: true, force: true });
});

test('a spool left by a crash is replayed at open; a torn last line (never acked) is ignored', async () => {
  const root = await tempRoot();
  const segDir = join(root, 'spool', 'segments');
  await mkdir(segDir, { recursive: true });
  const events = [makeEvent(day1), makeEvent(day2)];
  const torn = JSON.stringify(makeEvent(day2)).slice(0, 80);
  await writeFile(join(segDir, `seg-000000000007-${randomUUID()}.ndjson`), `${events.map((x) => JSON.stringify(x)).join('\n')}\n${torn}`);
  const store = await openEventStore(cfg(root));
  await store.append([makeEvent(day2)], []);
  await store.close();
  const ids = await queryParquet(root, (from) => `SELECT event_id FROM ${from}`);
  assert.equal(ids.length, 3);
  for (const e of events) assert.ok(ids.some((r) => r.event_id === e.event_id));
  assert.deepEqual(await readdir(segDir), []);
  await rm(root, { recursive: true, force: true });
});

test('replaying a segment whose Parquet was already written (crash before release) does not duplicate it', async () => {
  const root = await tempRoot();
  // Window 0: no dedupe index, so only the deterministic file names prevent the duplicate.
  const conf = cfg(root, { COLLECTOR_DEDUPE_WINDOW_S: '0' });
  const segDir = join(root, 'spool', 'segments');
  await mkdir(segDir, { recursive: true });
  const name = `seg-000000000001-${randomUUID()}.ndjson`;
  await writeFile(join(segDir, name), `${[makeEvent(day1), makeEvent(day2)].map((x) => JSON.stringify(x)).join('\n')}\n`);
  await copyFile(join(segDir, name), join(root, 'kept-copy'));
  let store = await openEventStore(conf);
  await store.close();
  await copyFile(join(root, 'kept-copy'), join(segDir, name));
  store = await openEventStore(conf);
  await store.close();
  const rows = await queryParquet(root, (from) => `SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM ${from}`);
  assert.deepEqual(rows, [{ n: 2, d: 2 }]);
  await rm(root, { recursive: true, force: true });
});

test('many concurrent appends share fsyncs and all land exactly once', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root));
  const batches = Array.from({ length: 200 }, (_, i) => [makeEvent(day2 + i), makeEvent(day2 + i)]);
  await Promise.all(batches.map((b) => store.append(b, [])));
  assert.equal(store.stats().spoolEvents, 400);
  await store.close();
  const rows = await queryParquet(root, (from) => `SELECT count(DISTINCT event_id)::INT AS d, count(*)::INT AS n FROM ${from}`);
  assert.deepEqual(rows, [{ d: 400, n: 400 }]);
  await rm(root, { recursive: true, force: true });
});

test('under a steady stream, segments sealed while a flush runs are spread over the workers and written in order, each event once', async () => {
  const root = await tempRoot();
  // A worker's share is COLLECTOR_FLUSH_EVENTS / 8 = 50 events: the stream below makes dozens of segments.
  const store = await openEventStore(cfg(root, { COLLECTOR_FLUSH_EVENTS: '400', COLLECTOR_ENRICH_WORKERS: '2' }));
  let n = 0;
  const request = () => encodeRawRecord({ t: day2, src: 'tp2' }, JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
    data: Array.from({ length: 25 }, () => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: `00000000-0000-4000-8000-${String(n++).padStart(12, '0')}` })) }));
  try {
    const flushing = store.flush();
    for (let wave = 0; wave < 40; wave++) {
      await Promise.all(Array.from({ length: 4 }, () => store.appendRaw(request(), 25)));
      await new Promise((r) => setTimeout(r, 5));
    }
    await flushing;
    await store.flush();
    assert.ok(store.stats().filesWritten >= 4, `${store.stats().filesWritten} files`);
    const rows = await queryParquet(root, (from) => `SELECT count(DISTINCT event_id)::INT AS d, count(*)::INT AS n FROM ${from}`);
    assert.deepEqual(rows, [{ d: n, n }]);
    assert.equal(store.stats().spoolEvents, 0);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});

test('a full spool rejects with StoreFullError and Retry-After instead of taking the events', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_SPOOL_MAX_BYTES: String(1024 * 1024) }));
  try {
    const big = Array.from({ length: 3000 }, () => makeEvent(day2, { page_title: 'x'.repeat(400) }));
    await assert.rejects(store.append(big, []), (e: unknown) => e instanceof StoreFullError && e.retryAfterSeconds >= 1);
    await store.append(big.slice(0, 10), []);
    assert.equal(store.stats().spoolEvents, 10);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});

test('an s3:// data root gets the same layout through the S3 sink', async () => {
  const server = await startS3TestServer();
  const spool = await tempRoot();
  const prefix = `lake-${randomUUID()}`;
  const env = {
    WEBCUBE_DATA_DIR: `s3://${server.bucket}/${prefix}`, COLLECTOR_SPOOL_DIR: spool, COLLECTOR_FLUSH_MS: '60000',
    COLLECTOR_DISK_MIN_FREE_BYTES: '0', AWS_ENDPOINT_URL_S3: server.settings.endpoint!, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const sink = await openS3Sink({ bucket: server.bucket, prefix, settings: server.settings, stagingDir: join(spool, 'check') });
  try {
    const store = await openEventStore(loadStorageConfig(env));
    await store.append([makeEvent(day1), makeEvent(day2)], [{ raw: 'x', reason: 'y', time: day2 }]);
    await store.close();
    const keys = await sink.list('');
    assert.equal(keys.length, 3);
    assert.match(keys[0]!, /^bad\/dt=2026-01-03\/bad-.*\.ndjson$/);
    assert.match(keys[1]!, /^events\/dt=2026-01-02\/part-20260102T235959900Z-.*\.parquet$/);
    assert.match(keys[2]!, /^events\/dt=2026-01-03\/part-.*\.parquet$/);
    const local = join(spool, 'check.parquet');
    await sink.download(keys[2]!, local);
    const rows = await queryParquet(spool, () => `SELECT count(*)::INT AS n FROM read_parquet('${local}')`);
    assert.deepEqual(rows, [{ n: 1 }]);
  } finally { await sink.close(); await server.stop(); await rm(spool, { recursive: true, force: true }); }
});

test('loadStorageConfig applies defaults, freezes, and names the bad variable', () => {
  const c = loadStorageConfig({});
  assert.equal(c.flushMs, 2000);
  assert.equal(c.target.kind, 'local');
  assert.ok(Object.isFrozen(c));
  assert.throws(() => loadStorageConfig({ COLLECTOR_FLUSH_MS: 'soon' }), /COLLECTOR_FLUSH_MS/);
  assert.throws(() => loadStorageConfig({ WEBCUBE_DATA_DIR: 'gs://b/p' }), /WEBCUBE_DATA_DIR/);
  const s3 = loadStorageConfig({ WEBCUBE_DATA_DIR: 's3://bucket/some/prefix/', AWS_ENDPOINT_URL_S3: 'http://127.0.0.1:9000' });
  assert.deepEqual(s3.target, { kind: 's3', bucket: 'bucket', prefix: 'some/prefix' });
  assert.equal(s3.s3.forcePathStyle, true);
});

test('the collector compacts today in the background (COLLECTOR_COMPACT_EVERY_S)', async () => {
  const root = await tempRoot();
  const store = await openEventStore(cfg(root, { COLLECTOR_COMPACT_EVERY_S: '1' }));
  try {
    const now = Date.now();
    for (let i = 0; i < 3; i++) { await store.append([makeEvent(now + i)], []); await store.flush(); }
    const dir = join(root, 'events', `dt=${new Date(now).toISOString().slice(0, 10)}`);
    // Three files were written (compaction may have merged some already: it runs every second).
    assert.equal(store.stats().filesWritten, 3);
    while ((await readdir(dir)).length > 1) await new Promise((r) => setTimeout(r, 100));
    const rows = await queryParquet(root, (from) => `SELECT count(*)::INT AS n FROM ${from}`);
    assert.deepEqual(rows, [{ n: 3 }]);
  } finally { await store.close(); await rm(root, { recursive: true, force: true }); }
});
