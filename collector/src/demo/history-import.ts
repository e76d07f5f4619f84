// Writes demo history through the collector's own enrichment (processTrackerEvent) and its import
// path (importEvents), with each event's original time as its collector time, so past days land
// in their own dt= partitions exactly as if they had been collected then.
import type { AtomicEvent } from '../atomic/columns.ts';
import { importEvents } from '../import/import-events.ts';
import { createEnrichContext, processTrackerEvent, type EnrichContext } from '../process-event.ts';
import { loadStorageConfig } from '../storage/index.ts';
import { hitToParams } from './hit-to-params.ts';
import type { Hit } from './hit.ts';

export interface HistoryResult { readonly events: number; readonly bad: number; readonly files: number }

/** Enriches the hits and writes them under `dataDir` (a local path or s3://bucket/prefix). */
export async function importHistory(hits: Iterable<Hit> | AsyncIterable<Hit>, dataDir: string, opts: { enrich?: EnrichContext; signal?: AbortSignal } = {}): Promise<HistoryResult> {
  const ctx = opts.enrich ?? createEnrichContext({});
  let bad = 0;
  async function* enriched(): AsyncGenerator<AtomicEvent> {
    for await (const hit of hits) {
      if (opts.signal?.aborted) return;
      const r = processTrackerEvent(hitToParams(hit), { collectorTstamp: hit.time, ip: hit.ip, useragent: hit.ua, source: 'demo' }, ctx);
      if (r.event) yield r.event; else bad++;
    }
  }
  const { written, files } = await importEvents(enriched(), loadStorageConfig({ WEBCUBE_DATA_DIR: dataDir }), { batchSize: 200_000 });
  return { events: written, bad, files };
}
