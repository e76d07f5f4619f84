// Compaction on real files and DuckDB: merges, keeps every event exactly once for manifest-aware
// readers while the collector keeps writing, recovers interrupted runs, and a crashed collector's
// spool replay never resurrects a merged-away file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, readdir, mkdir, writeFile, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import { openEventStore, loadStorageConfig } from '../storage/index.ts';
import { makeEvent, queryParquet } from '../storage/test-events.ts';
import { openLocalSink } from '../sinks/local.ts';
import { runCompaction, parseCompactArgs } from './compact-command.ts';
import { listVisibleEventFiles, visibleParts } from './visible-parts.ts';
import { readManifests, writeManifest } from './manifest.ts';

const day = Date.UTC(2026, 0, 5, 12);
const env = (root: string, extra: Record<string, string> = {}) =>
  ({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', ...extra });

async function fill(root: string, batches: number, per = 20): Promise<string[]> {
  const store = await openEventStore(loadStorageConfig(env(root)));
  const ids: string[] = [];
  for (let b = 0; b < batches; b++) {
    const evs = Array.from({ length: per }, (_, i) => makeEvent(day + b * 1000 + i));
    ids.push(...evs.map((e) => String(e.event_id)));
    await store.append(evs, []);
    await store.flush();
  }
  await store.close();
  return ids;
}

async function countVisible(root: string): Promise<{ n: number; d: number }> {
  const sink = await openLocalSink(root);
  const files = (await listVisibleEventFiles(sink)).map((k) => sink.localPath(k)!);
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    if (files.length === 0) return { n: 0, d: 0 };
    const r = (await conn.runAndReadAll(`SELECT count(*)::INT, count(DISTINCT event_id)::INT FROM read_parquet([${files.map((f) => `'${f}'`).join(',')}])`)).getRows()[0]!;
    return { n: Number(r[0]), d: Number(r[1]) };
  } finally { conn.closeSync(); db.closeSync(); }
}

test('compact merges a day into one file with the same events and leaves a manifest', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compact-'));
  try {
    const ids = await fill(root, 5);
    assert.equal((await readdir(join(root, 'events', 'dt=2026-01-05'))).length, 5);
    const [r] = await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.deepEqual(r, { dt: '2026-01-05', inputs: 5, outputs: 1, rows: 100 });
    const files = await readdir(join(root, 'events', 'dt=2026-01-05'));
    assert.equal(files.length, 1);
    assert.match(files[0]!, /^part-20260105T120000000Z-/);
    const rows = await queryParquet(root, (from) => `SELECT list(event_id ORDER BY event_id) AS ids FROM ${from}`);
    assert.deepEqual(rows[0]!.ids, [...ids].sort());
    const sink = await openLocalSink(root);
    assert.equal((await readManifests(sink, '2026-01-05')).length, 1);
    const [again] = await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.equal(again!.inputs, 0);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('while the collector keeps writing the same day, manifest-aware readers never see an event twice or lose one', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compact-'));
  try {
    await fill(root, 4);
    const store = await openEventStore(loadStorageConfig(env(root)));
    let written = 80;
    let writing = true;
    const writer = (async () => {
      for (let b = 0; writing || b < 3; b++) {
        await store.append(Array.from({ length: 10 }, (_, i) => makeEvent(day + 100_000 + b * 100 + i)), []);
        await store.flush();
        written += 10;
      }
    })();
    const observations: { n: number; d: number; floor: number }[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const floor = written;
        try { observations.push({ ...(await countVisible(root)), floor }); } catch { /* a file deleted between list and read: retry */ }
      }
    })();
    const results = await runCompaction(env(root), ['--date', '2026-01-05']);
    const second = await runCompaction(env(root), ['--all']);
    writing = false;
    await writer;
    reading = false;
    await reader;
    await store.close();
    assert.ok(results[0]!.inputs >= 4);
    assert.ok(second.length === 1);
    assert.ok(observations.length > 0);
    for (const o of observations) {
      assert.equal(o.n, o.d, 'an event was counted twice');
      assert.ok(o.n >= o.floor, `events missing: saw ${o.n}, ${o.floor} were flushed before the read began`);
    }
    const final = await queryParquet(root, (from) => `SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM ${from}`);
    assert.deepEqual(final, [{ n: written, d: written }]);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('an interrupted compaction is rolled back (outputs missing) or forward (inputs left) on the next run', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compact-'));
  try {
    await fill(root, 3);
    const sink = await openLocalSink(root);
    const inputs = await sink.list('events/dt=2026-01-05/');
    // Crashed before publishing: a manifest whose output never appeared.
    await writeManifest(sink, { id: `2026-01-05-x-${randomUUID()}`, dt: '2026-01-05', created: Date.now(), inputs, outputs: ['events/dt=2026-01-05/part-never.parquet'] });
    assert.deepEqual(visibleParts(inputs, await readManifests(sink)), inputs);
    const [r] = await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.equal(r!.inputs, 3);
    assert.equal((await readManifests(sink)).length, 1);
    // Crashed after publishing, before deleting: put an input back; the next run removes it.
    const merged = await sink.list('events/dt=2026-01-05/');
    await sink.putBytes(inputs[0]!, 'stale');
    assert.deepEqual(visibleParts(await sink.list('events/dt=2026-01-05/'), await readManifests(sink)), merged);
    await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.deepEqual(await sink.list('events/dt=2026-01-05/'), merged);
    assert.deepEqual(await countVisible(root), { n: 60, d: 60 });
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('a spool replayed after compaction merged its earlier output does not write it back', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compact-'));
  try {
    // Dedupe window 0, so only the manifest tombstone prevents the duplicate.
    const conf = env(root, { COLLECTOR_DEDUPE_WINDOW_S: '0' });
    const segDir = join(root, 'spool', 'segments');
    await mkdir(segDir, { recursive: true });
    const name = `seg-000000000001-${randomUUID()}.ndjson`;
    await writeFile(join(segDir, name), `${[makeEvent(day), makeEvent(day + 1)].map((e) => JSON.stringify(e)).join('\n')}\n`);
    await copyFile(join(segDir, name), join(root, 'seg-copy'));
    let store = await openEventStore(loadStorageConfig(conf));
    await store.close();
    await fill(root, 1);
    await runCompaction(conf, ['--date', '2026-01-05']);
    await copyFile(join(root, 'seg-copy'), join(segDir, name));
    store = await openEventStore(loadStorageConfig(conf));
    await store.close();
    const rows = await queryParquet(root, (from) => `SELECT count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM ${from}`);
    assert.deepEqual(rows, [{ n: 22, d: 22 }]);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('a day locked by another compactor is skipped; a stale lock is taken over', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compact-'));
  try {
    await fill(root, 2);
    const sink = await openLocalSink(root);
    await sink.putBytes('events/_compaction/dt=2026-01-05.lock', JSON.stringify({ created: Date.now() }));
    const [busy] = await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.deepEqual(busy, { dt: '2026-01-05', inputs: 0, outputs: 0, rows: 0, busy: true });
    assert.equal((await sink.list('events/dt=2026-01-05/')).length, 2);
    await sink.putBytes('events/_compaction/dt=2026-01-05.lock', JSON.stringify({ created: Date.now() - 2 * 3_600_000 }));
    const [done] = await runCompaction(env(root), ['--date', '2026-01-05']);
    assert.equal(done!.inputs, 2);
    assert.equal(await sink.getBytes('events/_compaction/dt=2026-01-05.lock'), undefined);
  } finally { await rm(root, { recursive: true, force: true }); }
});

test('compact arguments', () => {
  assert.deepEqual(parseCompactArgs([]), { dates: 'closed' });
  assert.deepEqual(parseCompactArgs(['--all']), { dates: 'all' });
  assert.deepEqual(parseCompactArgs(['--date=2026-01-05', '--date', '2026-01-06']), { dates: ['2026-01-05', '2026-01-06'] });
  assert.throws(() => parseCompactArgs(['--date', '2026-13-45x']), /--date/);
  assert.throws(() => parseCompactArgs(['--hours']), /unknown option/);
});

test('compaction works the same on an s3:// data root', async () => {
  const { startS3TestServer } = await import('../sinks/s3-test-server.ts');
  const { openS3Sink } = await import('../sinks/s3.ts');
  const server = await startS3TestServer();
  const spool = await mkdtemp(join(tmpdir(), 'webcube-compact-s3-'));
  const prefix = `lake-${randomUUID()}`;
  const s3env = {
    WEBCUBE_DATA_DIR: `s3://${server.bucket}/${prefix}`, COLLECTOR_SPOOL_DIR: spool, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
    AWS_ENDPOINT_URL_S3: server.settings.endpoint!, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
  };
  const sink = await openS3Sink({ bucket: server.bucket, prefix, settings: server.settings, stagingDir: join(spool, 'check') });
  try {
    const store = await openEventStore(loadStorageConfig(s3env));
    for (let b = 0; b < 3; b++) { await store.append([makeEvent(day + b), makeEvent(day + 10 + b)], []); await store.flush(); }
    await store.close();
    assert.equal((await sink.list('events/dt=2026-01-05/')).length, 3);
    const [r] = await runCompaction(s3env, ['--date', '2026-01-05']);
    assert.deepEqual(r, { dt: '2026-01-05', inputs: 3, outputs: 1, rows: 6 });
    const files = await listVisibleEventFiles(sink, '2026-01-05');
    assert.deepEqual(files, await sink.list('events/dt=2026-01-05/'));
    assert.equal(files.length, 1);
    const local = join(spool, 'merged.parquet');
    await sink.download(files[0]!, local);
    const rows = await queryParquet(spool, () => `SELECT count(DISTINCT event_id)::INT AS d FROM read_parquet('${local}')`);
    assert.deepEqual(rows, [{ d: 6 }]);
  } finally { await sink.close(); await server.stop(); await rm(spool, { recursive: true, force: true }); }
});
