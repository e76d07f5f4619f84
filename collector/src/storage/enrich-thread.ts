// The main thread's handles on the enrichment workers: each runs one segment at a time and is
// restarted if it dies (the segment stays in the spool and is retried on the next flush). The pool
// owns the workers' shared progress counter, so a restarted worker counts on where it stopped.
import { Worker } from 'node:worker_threads';
import type { EnrichOptions } from '../enrich/enrich-context.ts';
import type { ParquetSegment } from './segment-to-parquet.ts';
import type { EnrichWorkerData } from './enrich-worker.ts';

type Answer = { id: number; ok: true; result: ParquetSegment } | { id: number; ok: false; message: string };
interface Pending { resolve(r: ParquetSegment): void; reject(e: Error): void }

export class EnrichThread {
  private worker: Worker | undefined;
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();

  /** `readBuffer`: the events read counter the worker adds to after each record. */
  constructor(private readonly enrich: Partial<EnrichOptions>, private readonly readBuffer: SharedArrayBuffer) {}

  /** Whether a segment is being enriched. */
  get busy(): boolean {
    return this.pending.size > 0;
  }

  private start(): Worker {
    const workerData: EnrichWorkerData = { enrich: this.enrich, eventsRead: this.readBuffer };
    const w = new Worker(new URL('./enrich-worker-entry.mjs', import.meta.url), { workerData, execArgv: [] });
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

  /** Stops the worker once its jobs are done; terminated only if it has not ended within 10 s. */
  async close(): Promise<void> {
    const w = this.worker;
    this.worker = undefined;
    if (!w) return;
    const exited = new Promise<void>((resolve) => w.once('exit', () => resolve()));
    w.postMessage('stop');
    const timer = setTimeout(() => void w.terminate(), 10_000);
    await exited;
    clearTimeout(timer);
  }
}

/** Enrichment workers: a segment goes to an idle one. One worker's DuckDB stops pulling events while
 *  it encodes a row group (0.2–0.4 s each), so with two, one encodes while the other enriches. */
export class EnrichPool {
  /** Raw-record events read by all workers since start, added to by each after every record. */
  private readonly readBuffer = new SharedArrayBuffer(8);
  private readonly read = new BigInt64Array(this.readBuffer);
  private readonly threads: EnrichThread[];
  private turn = 0;

  constructor(enrich: Partial<EnrichOptions>, readonly size: number) {
    this.threads = Array.from({ length: size }, () => new EnrichThread(enrich, this.readBuffer));
  }

  /** Events the workers have read so far, all segments and restarts together; a segment that failed
   *  and was read again counts twice. */
  get eventsRead(): number {
    return Number(Atomics.load(this.read, 0));
  }

  warm(): void {
    for (const t of this.threads) t.warm();
  }

  /** Whether a worker has no segment. */
  get hasIdle(): boolean {
    return this.threads.some((t) => !t.busy);
  }

  /** Enriches the segment at `inPath` into `<outPrefix>.parquet` (and `.bad.ndjson`) on an idle worker. */
  run(inPath: string, outPrefix: string): Promise<ParquetSegment> {
    const idle = this.threads.find((t) => !t.busy);
    const thread = idle ?? this.threads[this.turn++ % this.threads.length]!;
    return thread.run(inPath, outPrefix);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((t) => t.close()));
  }
}
