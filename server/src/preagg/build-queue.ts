// Runs partition builds with bounded concurrency, one at a time per partition (a second request
// for a partition already queued joins it), retrying failures with backoff — a store connection
// lost mid-build is retried on a fresh connection, queries meanwhile use the previous version.

export type JobStatus = 'scheduled' | 'processing' | 'done' | `failure: ${string}`;

export interface QueuedJob<T> {
  readonly key: string;
  status: JobStatus;
  result?: T;
  readonly promise: Promise<T>;
}

export class BuildQueue {
  private readonly jobs = new Map<string, QueuedJob<unknown>>();
  private running = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private readonly o: { concurrency: number; retries: number; backoffMs: number; log?: (m: string) => void }) {}

  get active(): number { return this.running; }

  enqueue<T>(key: string, run: () => Promise<T>): QueuedJob<T> {
    const existing = this.jobs.get(key);
    if (existing && (existing.status === 'scheduled' || existing.status === 'processing')) return existing as QueuedJob<T>;
    const job = { key, status: 'scheduled' as JobStatus } as QueuedJob<T> & { promise: Promise<T> };
    (job as { promise: Promise<T> }).promise = (async () => {
      await this.slot();
      job.status = 'processing';
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            const r = await run();
            job.result = r;
            job.status = 'done';
            return r;
          } catch (e) {
            if (attempt >= this.o.retries) throw e;
            this.o.log?.(`pre-aggregation build ${key} failed (${(e as Error).message}); retry ${attempt + 1}/${this.o.retries}`);
            await new Promise((r) => setTimeout(r, this.o.backoffMs * 2 ** attempt));
          }
        }
      } catch (e) {
        job.status = `failure: ${(e as Error).message}`;
        throw e;
      } finally {
        this.release();
      }
    })();
    job.promise.catch(() => undefined);
    this.jobs.set(key, job as QueuedJob<unknown>);
    return job;
  }

  private slot(): Promise<void> {
    if (this.running < this.o.concurrency) { this.running++; return Promise.resolve(); }
    return new Promise((r) => this.waiting.push(() => { this.running++; r(); }));
  }

  private release(): void {
    this.running--;
    this.waiting.shift()?.();
  }

  /** Resolves when nothing is queued or running. */
  async idle(): Promise<void> {
    await Promise.allSettled([...this.jobs.values()].map((j) => j.promise));
  }
}
