// The enrichment worker thread: turns sealed spool segments into enriched NDJSON on the second
// core while the main thread keeps answering requests. One message in, one answer out.
import { parentPort, workerData } from 'node:worker_threads';
import { createEnrichContext, type EnrichOptions } from '../enrich/enrich-context.ts';
import { enrichSegment } from './enrich-segment.ts';

export interface EnrichJob { readonly id: number; readonly inPath: string; readonly outPath: string }

const ctx = createEnrichContext((workerData as { enrich?: Partial<EnrichOptions> } | undefined)?.enrich ?? {});

parentPort!.on('message', (job: EnrichJob) => {
  try {
    parentPort!.postMessage({ id: job.id, ok: true, result: enrichSegment(job.inPath, job.outPath, ctx) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
  }
});
