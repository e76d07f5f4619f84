// Late writes to a compacted day on Presto/Trino: each flushed file is copied into the day's
// current generation under the day's lock (collector/src/compact/generations.ts). Flushes of small
// batches into a day with a generation, against the same flushes into a day without one (which
// pay only the pointer check), in the same run.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.ts';
import { openEventStore, loadStorageConfig } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { runCompaction } from '../collector/src/compact/compact-command.ts';

const FLUSHES = 40;
const PER_FLUSH = 50;

async function flushRate(root: string, env: Record<string, string>, dayMs: number): Promise<number> {
  const store = await openEventStore(loadStorageConfig(env));
  try {
    const t = performance.now();
    for (let i = 0; i < FLUSHES; i++) {
      await store.append(Array.from({ length: PER_FLUSH }, (_, j) => makeEvent(dayMs + i * 1000 + j)), []);
      await store.flush();
    }
    return FLUSHES / ((performance.now() - t) / 1000);
  } finally {
    await store.close();
  }
}

export async function bench(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'webcube-bench-generations-'));
  try {
    const table = join(root, 'metastore', 'atomic', 'events');
    const env = { WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '600000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none',
      WEBCUBE_COMPACT_HIVE_TABLES: table };
    const compacted = Date.UTC(2026, 0, 5, 12);
    const plain = Date.UTC(2026, 0, 6, 12);
    await flushRate(root, env, compacted - 3_600_000);
    await mkdir(join(table, 'dt=2026-01-05'), { recursive: true });
    await writeFile(join(table, 'dt=2026-01-05', '.trinoSchema'), JSON.stringify({ externalLocation: `local://${join(root, 'events', 'dt=2026-01-05')}` }));
    await runCompaction(env, ['--date', '2026-01-05']);
    const baseline = await flushRate(root, env, plain);
    const late = await flushRate(root, env, compacted);
    return [{ name: `flush of ${PER_FLUSH} late events into a compacted day`, value: late, unit: 'flushes/s', baseline: { name: 'a day without a generation', value: baseline } }];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
