// The main thread's handle on the enrichment worker: runs one segment at a time, restarts the
// worker if it dies (the segment stays in the spool and is retried on the next flush).
import { Worker } from 'node:worker_threads';
import type { EnrichOptions } from '../enrich/enrich-context.ts';
import type { ParquetSegment } from './segment-to-parquet.ts';

type Answer = { id: number; ok: true; result: ParquetSegment } | { id: number; ok: false; message: string };
interface Pending { resolve(r: ParquetSegment): void; reject(e: Error): void }

export class EnrichThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly enrich: Partial<EnrichOptions>) {}

  private start(): Worker {
    const w = new Worker(new URL('./enrich-worker-entry.mjs', import.meta.url), { workerData: { enrich: this.enrich }, execArgv: [] });
    w.on('message', (a: Answer) => {
      const p = this.pending.get(a.id);
      this.pending.delete(a.id);
      // Referenced only while a job runs: a pending flush keeps the process alive, an idle worker does not.
      if (this.pending.size === 0) w.unref();
      if (a.ok) p?.resolve(a.result);
      else p?.reject(new Error(`enrichment failed: ${a.message}`));
    });
    const fail = (e: Error) => {
      if (this.worker === w) this.worker = undefined;
      for (const p of this.pending.values()) p.reject(new Error(`enrichment worker stopped: ${e.message}`));
      this.pending.clear();
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    w.unref();
    return w;
  }

  /** Starts the worker now, so loading its enrichment data (geo database) is not on the first flush's clock. */
  warm(): void {
    this.worker ??= this.start();
  }

  /** Enriches the segment at `inPath` into `<outPrefix>.parquet` (and `.bad.ndjson`). */
  run(inPath: string, outPrefix: string): Promise<ParquetSegment> {
    this.worker ??= this.start();
    this.worker.ref();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker!.postMessage({ id, inPath, outPrefix, nowMs: Date.now() });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (w) await w.terminate();
  }
}
