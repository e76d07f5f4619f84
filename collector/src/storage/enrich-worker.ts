// The enrichment worker thread: turns sealed spool segments into Parquet files of enriched events
// on the second core while the main thread keeps answering requests. It has its own in-memory
// DuckDB (one thread) for the appender and the Parquet encoder. One message in, one answer out,
// one job at a time.
import { parentPort, workerData } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEnrichContext, type EnrichOptions } from '../enrich/enrich-context.ts';
import { segmentToParquet } from './segment-to-parquet.ts';

export interface EnrichJob { readonly id: number; readonly inPath: string; readonly outPrefix: string; readonly nowMs: number }

const ctx = createEnrichContext((workerData as { enrich?: Partial<EnrichOptions> } | undefined)?.enrich ?? {});
const connection = DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '1GB' }).then((db) => db.connect());

let queue: Promise<void> = Promise.resolve();

parentPort!.on('message', (job: EnrichJob) => {
  queue = queue.then(async () => {
    try {
      const result = await segmentToParquet(await connection, job.inPath, job.outPrefix, ctx, job.nowMs);
      parentPort!.postMessage({ id: job.id, ok: true, result });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  });
});
