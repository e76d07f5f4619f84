// Storage benchmarks: spool appends acked after fsync (group commit) against the naive one-fsync-
// per-batch baseline on the same bytes, spool → Parquet flush, and the bulk history writer.
import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from './run.ts';
import { openEventStore, loadStorageConfig } from '../collector/src/storage/index.ts';
import { serialize } from '../collector/src/storage/event-store.ts';
import { importEvents } from '../collector/src/import/import-events.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import type { AtomicEvent } from '../collector/src/atomic/columns.ts';

const CLIENTS = 64;
const BATCH = 20;
const SECONDS = 3;

function p99(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.99))] ?? 0;
}

/** CLIENTS concurrent producers, each appending BATCH events and waiting for the ack, for SECONDS. */
async function spoolRun(append: (batch: AtomicEvent[]) => Promise<void>): Promise<{ rate: number; p99: number }> {
  const batches = Array.from({ length: 200 }, (_, i) => Array.from({ length: BATCH }, (_, j) => makeEvent(Date.now() + i * BATCH + j)));
  const latencies: number[] = [];
  let events = 0;
  const end = performance.now() + SECONDS * 1000;
  const client = async (k: number) => {
    for (let i = k; performance.now() < end; i++) {
      const t = performance.now();
      await append(batches[i % batches.length]!);
      latencies.push(performance.now() - t);
      events += BATCH;
    }
  };
  const start = performance.now();
  await Promise.all(Array.from({ length: CLIENTS }, (_, k) => client(k)));
  return { rate: events / ((performance.now() - start) / 1000), p99: p99(latencies) };
}

export async function bench(): Promise<BenchResult[]> {
  const root = await mkdtemp(join(tmpdir(), 'webcube-bench-storage-'));
  try {
    const config = loadStorageConfig({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '600000', COLLECTOR_FLUSH_EVENTS: '10000000',
      COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_SPOOL_MAX_BYTES: String(8 * 1024 ** 3) });
    const store = await openEventStore(config);
    const grouped = await spoolRun((b) => store.append(b, []));
    const spooled = store.stats().spoolEvents;
    const t0 = performance.now();
    await store.flush();
    const flushRate = spooled / ((performance.now() - t0) / 1000);
    await store.close();

    // Baseline: the same serialisation and bytes, each batch written and fdatasync'd on its own.
    const fh = await open(join(root, 'naive.ndjson'), 'a');
    let chain = Promise.resolve();
    const naive = await spoolRun((b) => {
      const buf = Buffer.from(serialize(b, []));
      chain = chain.then(async () => { await fh.write(buf); await fh.datasync(); });
      return chain;
    });
    await fh.close();

    const N = 300_000;
    const base = Date.UTC(2026, 0, 1);
    const events = Array.from({ length: N }, (_, i) => makeEvent(base + Math.floor((i * 86_400_000 * 3) / N)));
    const t1 = performance.now();
    await importEvents(events, loadStorageConfig({ WEBCUBE_DATA_DIR: join(root, 'import') }));
    const importRate = N / ((performance.now() - t1) / 1000);

    return [
      { name: 'spool append, group-commit fsync', value: grouped.rate, unit: 'events/s', baseline: { name: 'fsync per batch', value: naive.rate } },
      { name: 'spool append p99 ack latency', value: grouped.p99, unit: 'ms', baseline: { name: 'fsync per batch', value: naive.p99 } },
      { name: 'spool → Parquet flush (dedupe, zstd)', value: flushRate, unit: 'events/s' },
      { name: 'importEvents → Parquet', value: importRate, unit: 'events/s' },
    ];
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
