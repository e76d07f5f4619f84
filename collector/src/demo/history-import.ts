// Writes demo history through the collector's own enrichment (processTrackerEvent) and durable
// event store, with each event's original time as its collector time, so past days land in
// their own dt= partitions exactly as if they had been collected then.
// Adapter: uses openEventStore directly until collector/src/import exposes importEvents.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createEnrichContext, processTrackerEvent, type EnrichContext } from '../process-event.ts';
import { loadStorageConfig, openEventStore } from '../storage/index.ts';
import type { AtomicEvent } from '../atomic/columns.ts';
import { hitToParams } from './hit-to-params.ts';
import type { Hit } from './hit.ts';

export interface HistoryWriter {
  write(hits: readonly Hit[]): Promise<void>;
  /** Flushes to Parquet and closes; returns how many events were written and rejected. */
  close(): Promise<{ events: number; bad: number }>;
}

export async function openHistoryWriter(dataDir: string, opts: { batchSize?: number; enrich?: EnrichContext } = {}): Promise<HistoryWriter> {
  // A spool of its own, so a collector running on the same data dir is not disturbed.
  const spoolDir = join(dataDir.startsWith('s3://') ? '.' : dataDir, `spool-demo-${process.pid}`);
  const config = loadStorageConfig({ WEBCUBE_DATA_DIR: dataDir, COLLECTOR_SPOOL_DIR: spoolDir, COLLECTOR_DEDUPE_WINDOW_S: '0' });
  const store = await openEventStore(config);
  const ctx = opts.enrich ?? createEnrichContext({});
  const batchSize = opts.batchSize ?? 20_000;
  let pending: AtomicEvent[] = [];
  let events = 0, bad = 0;
  const drain = async () => {
    if (pending.length === 0) return;
    const batch = pending;
    pending = [];
    await store.append(batch, []);
  };
  return {
    async write(hits) {
      for (const hit of hits) {
        const r = processTrackerEvent(hitToParams(hit), { collectorTstamp: hit.time, ip: hit.ip, useragent: hit.ua, source: 'demo' }, ctx);
        if (r.event) { pending.push(r.event); events++; } else bad++;
        if (pending.length >= batchSize) await drain();
      }
    },
    async close() {
      await drain();
      await store.flush();
      await store.close();
      await rm(spoolDir, { recursive: true, force: true });
      return { events, bad };
    },
  };
}
