// The semantic layer's DuckDB reader during `webcube compact`: while the collector keeps
// writing a day and compaction merges it, every query through the driver counts each
// event exactly once (regression: a glob over events/** saw merged output and its inputs), with
// the manifest protocol and with generation swaps (the Presto/Trino mode).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, loadStorageConfig } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { runCompaction } from '../collector/src/compact/compact-command.ts';
import { DuckDbDriver } from '../server/src/drivers/index.ts';

const day = Date.UTC(2026, 0, 5, 12);
const manifests = (root: string) => ({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0' });
// Generation swaps for Presto/Trino (collector/src/compact/partition-swap.ts), with a file-metastore
// partition of 2026-01-05 as the engines' sync would register it; DuckDB follows the generation.
const generations = (root: string) => ({ ...manifests(root), WEBCUBE_COMPACT_HIVE_TABLES: join(root, 'metastore', 'atomic', 'events') });

for (const [mode, env] of [['manifests', manifests], ['generation swaps', generations]] as const) test(`queries through the DuckDB driver never see an event twice or miss one while compaction runs (${mode})`, async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-compaction-reads-'));
  const partition = join(root, 'metastore', 'atomic', 'events', 'dt=2026-01-05');
  await mkdir(partition, { recursive: true });
  await writeFile(join(partition, '.trinoSchema'), JSON.stringify({ externalLocation: `local://${join(root, 'events', 'dt=2026-01-05')}` }));
  const store = await openEventStore(loadStorageConfig(env(root)));
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: root, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: true });
  try {
    let flushed = 0;
    for (let b = 0; b < 6; b++) {
      await store.append(Array.from({ length: 20 }, (_, i) => makeEvent(day + b * 1000 + i)), []);
      await store.flush();
      flushed += 20;
    }
    let writing = true;
    const writer = (async () => {
      for (let b = 0; writing || b < 3; b++) {
        await store.append(Array.from({ length: 10 }, (_, i) => makeEvent(day + 100_000 + b * 100 + i)), []);
        await store.flush();
        flushed += 10;
      }
    })();
    const seen: { n: number; distinct: number; floor: number }[] = [];
    let reading = true;
    const reader = (async () => {
      while (reading) {
        const floor = flushed;
        const [row] = await driver.query('SELECT count(*) AS n, count(DISTINCT event_id) AS d FROM atomic.events', []);
        seen.push({ n: Number(row!.n), distinct: Number(row!.d), floor });
      }
    })();
    const merged = await runCompaction(env(root), ['--date', '2026-01-05']);
    await runCompaction(env(root), ['--all']);
    writing = false;
    await writer;
    reading = false;
    await reader;

    assert.ok(merged[0]!.inputs >= 6, 'compaction merged the day');
    if (mode === 'generation swaps') assert.ok(existsSync(join(root, 'events', '_generations', 'dt=2026-01-05.json')), 'the day went to a generation');
    assert.ok(seen.length > 3, `only ${seen.length} reads overlapped compaction`);
    for (const s of seen) {
      assert.equal(s.n, s.distinct, 'an event was counted twice');
      assert.ok(s.n >= s.floor, `saw ${s.n} events; ${s.floor} were flushed before the read began`);
    }
    const [final] = await driver.query('SELECT count(*) AS n FROM atomic.events', []);
    assert.equal(Number(final!.n), flushed);
  } finally {
    await store.close();
    await driver.close();
    await rm(root, { recursive: true, force: true });
  }
});
