// An enrichment worker thread (COLLECTOR_ENRICH_WORKERS of them): turns sealed spool segments into
// Parquet files of enriched events while the main thread keeps answering requests. It has its own
// in-memory DuckDB (one thread) for the Parquet encoder. One message in, one answer out, one job at
// a time. Its progress goes to a count of events read in shared memory (all workers and
// restarts together) that the main thread reads for ack pacing: one add per record, no message.
import { parentPort, workerData } from 'node:worker_threads';
import { DuckDBInstance } from '@duckdb/node-api';
import { createEnrichContext, type EnrichOptions } from '../enrich/enrich-context.ts';
import { segmentToParquet } from './segment-to-parquet.ts';

export interface EnrichJob { readonly id: number; readonly inPath: string; readonly outPrefix: string; readonly nowMs: number }

export interface EnrichWorkerData { readonly enrich?: Partial<EnrichOptions>; readonly eventsRead: SharedArrayBuffer }

const data = workerData as EnrichWorkerData;
const ctx = createEnrichContext(data.enrich ?? {});
const eventsRead = new BigInt64Array(data.eventsRead);
const duck = DuckDBInstance.create(':memory:', { threads: '1', memory_limit: '1GB' }).then(async (db) => ({ db, conn: await db.connect() }));
const connection = duck.then((d) => d.conn);

let queue: Promise<void> = Promise.resolve();

/** Asked to stop: after the jobs queued, DuckDB is closed and the port too, so the thread ends on
 *  its own. (Terminated from outside while DuckDB still opened, the process aborted.) */
function stop(): void {
  queue = queue.then(async () => {
    const { db, conn } = await duck;
    conn.closeSync();
    db.closeSync();
    parentPort!.close();
  });
}

parentPort!.on('message', (job: EnrichJob | 'stop') => {
  if (job === 'stop') { stop(); return; }
  queue = queue.then(async () => {
    try {
      let counted = 0;
      const onRead = (events: number) => { Atomics.add(eventsRead, 0, BigInt(events - counted)); counted = events; };
      const result = await segmentToParquet(await connection, job.inPath, job.outPrefix, ctx, job.nowMs, onRead);
      parentPort!.postMessage({ id: job.id, ok: true, result });
    } catch (e) {
      parentPort!.postMessage({ id: job.id, ok: false, message: e instanceof Error ? e.message : String(e) });
    }
  });
});
