// A partition's dedupe history and checkpoint in the sink, on a local dir and on a real S3-protocol
// server: another loader (or this one restarted) loads exactly the keys the last publish named,
// the window and max-ids bounds hold after a reload, and of two writers that read the same
// checkpoint version only one publishes the next.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { openLocalSink } from '../sinks/local.ts';
import { openS3Sink } from '../sinks/s3.ts';
import { startS3TestServer, type S3TestServer } from '../sinks/s3-test-server.ts';
import { PartitionDedupe } from './partition-dedupe.ts';
import { checkpointKey, idsPrefix, publishCheckpoint, readCheckpoint } from './partition-checkpoint.ts';
import type { DedupeLimits } from '../storage/dedupe-index.ts';

const cleanups: (() => Promise<void>)[] = [];
let server: S3TestServer | undefined;
after(async () => {
  for (const c of cleanups.reverse()) await c();
  await server?.stop();
});

async function localSink(): Promise<Sink> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-pdedupe-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return openLocalSink(dir);
}

async function s3Sink(): Promise<Sink> {
  const s = server ??= await startS3TestServer();
  const staging = await mkdtemp(join(tmpdir(), 'webcube-pdedupe-s3-'));
  const sink = await openS3Sink({ bucket: s.bucket, prefix: `p-${randomUUID()}`, settings: s.settings, stagingDir: staging });
  cleanups.push(async () => { await sink.close(); await rm(staging, { recursive: true, force: true }); });
  return sink;
}

/** A loader's side: its own DuckDB and scratch dir, one partition's dedupe over the shared sink. */
async function loaderOn(sink: Sink, limits: DedupeLimits) {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  const scratch = await mkdtemp(join(tmpdir(), 'webcube-pdedupe-scratch-'));
  cleanups.push(async () => { conn.closeSync(); db.closeSync(); await rm(scratch, { recursive: true, force: true }); });
  const key = checkpointKey('g', 't', 3);
  const dedupe = new PartitionDedupe(conn, sink, scratch, limits, 3, idsPrefix(key));
  const stage = (ids: readonly number[]) => conn.run(`CREATE OR REPLACE TEMP TABLE wc_stage AS SELECT md5_number(i::VARCHAR) AS _k FROM unnest([${ids.join(', ')}]::INTEGER[]) u(i)`);
  return {
    dedupe,
    /** Loads the partition's state as an assigned loader does before a batch. */
    async assign() { await dedupe.sync((await readCheckpoint(sink, key))?.ids); },
    async seen(ids: readonly number[]) { await stage(ids); return dedupe.countSeen('wc_stage'); },
    /** One batch: stages its keys, publishes the checkpoint that names the new ids, applies them. */
    async batch(next: number, ids: readonly number[], nowMs: number) {
      const cp = await readCheckpoint(sink, key);
      await dedupe.sync(cp?.ids);
      await stage(ids);
      const state = await dedupe.prepare('wc_stage', false, `b${next}`, nowMs);
      assert.ok(await publishCheckpoint(sink, key, cp, { next: String(next), ...(state ? { ids: state } : {}) }));
      await dedupe.applied(state);
    },
  };
}

const range = (a: number, b: number) => Array.from({ length: b - a + 1 }, (_, i) => a + i);

for (const [name, open] of [['local', localSink], ['s3', s3Sink]] as const) {
  describe(`partition dedupe on a ${name} sink`, () => {
    test('a restarted or other loader loads the history the last checkpoint names', async () => {
      const sink = await open();
      const a = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      await a.batch(10, range(1, 5), 100);
      await a.batch(20, range(4, 8), 200);
      assert.equal(await a.dedupe.size(), 8);
      const b = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      await b.assign();
      assert.equal(await b.dedupe.size(), 8);
      assert.equal(await b.seen([1, 8, 9, 10]), 2, 'ids 1 and 8 were loaded by the other loader');
      // The partition goes back to A, which must not trust its own copy: B wrote meanwhile.
      await b.batch(30, range(9, 12), 300);
      await a.assign();
      assert.equal(await a.seen([9, 12, 13]), 2);
      assert.equal(await a.dedupe.size(), 12);
    });

    test('the window and max-ids bounds hold across a reload, and many batches keep few files', async () => {
      const sink = await open();
      const a = await loaderOn(sink, { windowMs: 1000, maxIds: 10 });
      await a.batch(1, range(1, 3), 1000);
      await a.batch(2, range(4, 6), 1500);
      await a.batch(3, range(7, 8), 2400);
      // t=1000 is older than 2400 − 1000: ids 1–3 are gone, here and in what a reload sees.
      const b = await loaderOn(sink, { windowMs: 1000, maxIds: 10 });
      await b.assign();
      assert.equal(await b.seen(range(1, 8)), 5);
      // 4–8 are 5 keys, 9–16 are 8 more: the newest flushes that reach 10 stay whole (8 + the 2 of
      // t=2400), so 4–6 (t=1500) go even though they are inside the window.
      await b.batch(4, range(9, 16), 2450);
      const c = await loaderOn(sink, { windowMs: 1000, maxIds: 10 });
      await c.assign();
      assert.equal(await c.dedupe.size(), 10);
      assert.equal(await c.seen(range(1, 16)), 10);
      assert.equal(await c.seen(range(4, 6)), 0);
      // Forty one-key batches: the history stays whole within the bound and its files are merged.
      const d = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      for (let i = 0; i < 40; i++) await d.batch(100 + i, [100 + i], 3000 + i);
      const cp = await readCheckpoint(sink, checkpointKey('g', 't', 3));
      assert.ok(cp!.ids!.files.length <= 16, `${cp!.ids!.files.length} files`);
      const e = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      await e.assign();
      assert.equal(await e.seen([...range(100, 139), ...range(7, 16)]), 50);
      assert.equal(await e.dedupe.size(), 50);
      const files = await sink.list(idsPrefix(checkpointKey('g', 't', 3)));
      assert.deepEqual(files.sort(), cp!.ids!.files.map((f) => f.key).sort(), 'merged-away files are deleted');
    });

    test('a batch refused at publish leaves no key file behind, and the loader reloads what won', async () => {
      const sink = await open();
      const key = checkpointKey('g', 't', 3);
      const a = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      const b = await loaderOn(sink, { windowMs: 1_000_000, maxIds: 1000 });
      await a.batch(10, range(1, 3), 100);
      // A and B both read version 1; B publishes version 2 first, A's batch is refused.
      const read = await readCheckpoint(sink, key);
      await a.dedupe.sync(read?.ids);
      await a.seen(range(4, 6));
      const refused = await a.dedupe.prepare('wc_stage', false, 'a20', 200);
      await b.batch(20, range(7, 8), 200);
      assert.equal(await publishCheckpoint(sink, key, read, { next: '20', ...(refused ? { ids: refused } : {}) }), false);
      await a.dedupe.discard();
      const files = await sink.list(idsPrefix(key));
      assert.deepEqual(files.sort(), (await readCheckpoint(sink, key))!.ids!.files.map((f) => f.key).sort(), 'only named files remain');
      await a.assign();
      assert.equal(await a.seen(range(1, 8)), 5, 'A holds 1–3 and B\'s 7–8, not its refused 4–6');
    });

    test('of two writers that read the same checkpoint, one publishes and the other is refused', async () => {
      const sink = await open();
      const key = checkpointKey('g2', 't', 0);
      assert.equal(await readCheckpoint(sink, key), undefined);
      assert.ok(await publishCheckpoint(sink, key, undefined, { next: '5' }));
      const read = await readCheckpoint(sink, key);
      assert.ok(await publishCheckpoint(sink, key, read, { next: '9', owner: { member: 'new', generation: 2 } }));
      assert.equal(await publishCheckpoint(sink, key, read, { next: '7', owner: { member: 'zombie', generation: 1 } }), false);
      // A stale hint (a slow writer's last word) is followed forward to the newest version.
      await sink.putBytes(key, JSON.stringify({ ...read, next: '5' }));
      assert.deepEqual(await readCheckpoint(sink, key), { next: '9', owner: { member: 'new', generation: 2 }, seq: 2 });
    });

    // Exact where the create-only write is (link() on local disk; If-None-Match on AWS S3, MinIO
    // and S3Mock); s3rver ignores the header, so there the sink's check-then-put is best effort.
    if (name === 'local') test('of writers racing from the same version, exactly one publishes', async () => {
      const sink = await open();
      const key = checkpointKey('g3', 't', 0);
      assert.ok(await publishCheckpoint(sink, key, undefined, { next: '1' }));
      const read = await readCheckpoint(sink, key);
      const won = await Promise.all(Array.from({ length: 8 }, (_, i) => publishCheckpoint(sink, key, read, { next: String(10 + i) })));
      assert.equal(won.filter(Boolean).length, 1);
      assert.equal((await readCheckpoint(sink, key))!.next, String(10 + won.indexOf(true)));
    });
  });
}
