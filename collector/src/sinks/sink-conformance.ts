// One behaviour suite every Sink must pass (local dir, S3); each sink's test file calls it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFile, access } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Sink } from './sink.ts';

export function sinkConformance(name: string, open: () => Promise<{ sink: Sink; cleanup: () => Promise<void> }>): void {
  test(`${name}: putBytes/getBytes round-trip, missing key is undefined`, async () => {
    const { sink, cleanup } = await open();
    try {
      await sink.putBytes('bad/dt=2026-01-02/a.ndjson', '{"raw":"x"}\n');
      assert.equal(Buffer.from((await sink.getBytes('bad/dt=2026-01-02/a.ndjson'))!).toString(), '{"raw":"x"}\n');
      assert.equal(await sink.getBytes('bad/dt=2026-01-02/none.ndjson'), undefined);
    } finally { await cleanup(); }
  });

  test(`${name}: putFile consumes the staged file and makes it visible under the key`, async () => {
    const { sink, cleanup } = await open();
    try {
      const staged = join(sink.stagingDir, `${randomUUID()}.parquet`);
      await writeFile(staged, 'PAR1-bytes');
      await sink.putFile(staged, 'events/dt=2026-01-02/part-1.parquet');
      await assert.rejects(access(staged));
      assert.equal(Buffer.from((await sink.getBytes('events/dt=2026-01-02/part-1.parquet'))!).toString(), 'PAR1-bytes');
      const local = join(sink.stagingDir, `${randomUUID()}.dl`);
      await sink.download('events/dt=2026-01-02/part-1.parquet', local);
      const { readFile, rm } = await import('node:fs/promises');
      assert.equal((await readFile(local)).toString(), 'PAR1-bytes');
      await rm(local);
    } finally { await cleanup(); }
  });

  test(`${name}: list is recursive, sorted, scoped to the prefix and hides staging files`, async () => {
    const { sink, cleanup } = await open();
    try {
      await sink.putBytes('events/dt=2026-01-03/b.parquet', 'b');
      await sink.putBytes('events/dt=2026-01-02/a.parquet', 'a');
      await sink.putBytes('events/dt=2026-01-02/c.parquet', 'c');
      await sink.putBytes('bad/dt=2026-01-02/x.ndjson', 'x');
      await writeFile(join(sink.stagingDir, 'pending.parquet'), 'tmp');
      assert.deepEqual(await sink.list('events/'), [
        'events/dt=2026-01-02/a.parquet', 'events/dt=2026-01-02/c.parquet', 'events/dt=2026-01-03/b.parquet',
      ]);
      assert.deepEqual(await sink.list('events/dt=2026-01-03/'), ['events/dt=2026-01-03/b.parquet']);
      assert.deepEqual(await sink.list('nothing/'), []);
      assert.deepEqual(await sink.listSizes('events/dt=2026-01-02/'), [
        { key: 'events/dt=2026-01-02/a.parquet', size: 1 }, { key: 'events/dt=2026-01-02/c.parquet', size: 1 },
      ]);
    } finally { await cleanup(); }
  });

  test(`${name}: putIfAbsent creates once, then refuses while the key exists`, async () => {
    const { sink, cleanup } = await open();
    try {
      assert.equal(await sink.putIfAbsent('events/_compaction/dt=2026-01-02.lock', 'a'), true);
      assert.equal(await sink.putIfAbsent('events/_compaction/dt=2026-01-02.lock', 'b'), false);
      assert.equal(Buffer.from((await sink.getBytes('events/_compaction/dt=2026-01-02.lock'))!).toString(), 'a');
      await sink.delete(['events/_compaction/dt=2026-01-02.lock']);
      assert.equal(await sink.putIfAbsent('events/_compaction/dt=2026-01-02.lock', 'c'), true);
    } finally { await cleanup(); }
  });

  test(`${name}: putBytes replaces an existing key atomically; delete tolerates missing keys`, async () => {
    const { sink, cleanup } = await open();
    try {
      await sink.putBytes('events/dt=2026-01-02/a.parquet', 'one');
      await sink.putBytes('events/dt=2026-01-02/a.parquet', 'two');
      assert.equal(Buffer.from((await sink.getBytes('events/dt=2026-01-02/a.parquet'))!).toString(), 'two');
      await sink.delete(['events/dt=2026-01-02/a.parquet', 'events/dt=2026-01-02/missing.parquet']);
      assert.deepEqual(await sink.list('events/'), []);
    } finally { await cleanup(); }
  });
}
