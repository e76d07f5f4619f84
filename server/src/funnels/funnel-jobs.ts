// Funnel jobs: submit returns at once with an id, a small queue runs them on the engine
// (a few at a time), and finished results are kept (newest first, bounded) for polling and
// listing. Each job remembers its owner (the token's site restriction) so tenants see only theirs.
import { randomUUID } from 'node:crypto';
import type { FunnelResult } from './run-funnel.ts';
import type { FunnelSpec } from './funnel-request.ts';

export type FunnelStatus = 'queued' | 'running' | 'done' | 'error';

export interface FunnelJob {
  readonly id: string;
  readonly owner: string;
  readonly spec: FunnelSpec;
  readonly createdAt: string;
  status: FunnelStatus;
  startedAt?: string;
  finishedAt?: string;
  result?: FunnelResult;
  error?: string;
}

export interface FunnelJobQueueOptions {
  readonly concurrency?: number;
  /** Finished jobs kept; the oldest are dropped first. */
  readonly maxFinished?: number;
  readonly now?: () => Date;
}

export type FunnelRunner = (spec: FunnelSpec, signal: AbortSignal) => Promise<FunnelResult>;

export class FunnelJobQueue {
  private readonly jobs = new Map<string, FunnelJob>();
  private readonly waiting: { job: FunnelJob; run: FunnelRunner }[] = [];
  private readonly controllers = new Map<string, AbortController>();
  private running = 0;
  private readonly concurrency: number;
  private readonly maxFinished: number;
  private readonly now: () => Date;

  constructor(opts: FunnelJobQueueOptions = {}) {
    this.concurrency = opts.concurrency ?? 2;
    this.maxFinished = opts.maxFinished ?? 500;
    this.now = opts.now ?? (() => new Date());
  }

  submit(spec: FunnelSpec, owner: string, run: FunnelRunner): FunnelJob {
    const job: FunnelJob = { id: randomUUID(), owner, spec, createdAt: this.now().toISOString(), status: 'queued' };
    this.jobs.set(job.id, job);
    this.waiting.push({ job, run });
    this.pump();
    return job;
  }

  get(id: string): FunnelJob | undefined {
    return this.jobs.get(id);
  }

  /** Newest first. */
  list(): FunnelJob[] {
    return [...this.jobs.values()].reverse();
  }

  /** Resolves when no job is queued or running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running > 0 || this.waiting.length > 0) await new Promise((r) => setTimeout(r, 10));
  }

  close(): void {
    this.waiting.length = 0;
    for (const c of this.controllers.values()) c.abort();
  }

  private pump(): void {
    while (this.running < this.concurrency && this.waiting.length > 0) {
      const { job, run } = this.waiting.shift()!;
      this.running++;
      const controller = new AbortController();
      this.controllers.set(job.id, controller);
      job.status = 'running';
      job.startedAt = this.now().toISOString();
      run(job.spec, controller.signal)
        .then((result) => { job.result = result; job.status = 'done'; })
        .catch((error: unknown) => {
          job.status = 'error';
          job.error = error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          job.finishedAt = this.now().toISOString();
          this.controllers.delete(job.id);
          this.running--;
          this.trim();
          this.pump();
        });
    }
  }

  private trim(): void {
    const finished = [...this.jobs.values()].filter((j) => j.status === 'done' || j.status === 'error');
    for (const j of finished.slice(0, Math.max(0, finished.length - this.maxFinished))) this.jobs.delete(j.id);
  }
}
