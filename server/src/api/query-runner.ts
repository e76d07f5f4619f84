// Runs engine queries for the API: identical in-flight queries share one execution, finished
// results are cached per refresh key, and a caller waits at most `continueWaitMs` before being
// told "Continue wait" (Cube's long-poll) while the query keeps running for the next poll. At
// most `concurrency` queries run on the engine at once (Cube's queue concurrency); the rest wait
// their turn, and past `maxQueue` waiting queries new ones are refused with 503 rather than
// piling up without bound. Cube's `cache` modes decide when an expired (stale) result may
// still be served: stale-if-slow (default: when the fresh run outlasts the wait),
// stale-while-revalidate (at once, refreshing behind), must-revalidate and no-cache (never).
import { Overloaded } from '../errors.ts';

export class ContinueWait extends Error {
  constructor() { super('Continue wait'); }
}

type Entry<T> = { promise: Promise<T>; settled: boolean; value?: T; error?: unknown; handedOff: boolean; startedAt: number };
type Cached<T> = { value: T; expires: number; at: number; weight: number };

export type CacheMode = 'stale-if-slow' | 'stale-while-revalidate' | 'must-revalidate' | 'no-cache';

/** Stale results older than this are never served. */
const MAX_STALE_MS = 24 * 3600_000;

export type RunOptions = {
  /** Cache lifetime of the result; 0 disables caching. */
  ttlMs: number;
  /** Skip any cached result (Cube's renewQuery, cache: no-cache); still joins an in-flight run. */
  renew?: boolean;
  mode?: CacheMode;
  /** Override of the runner's continue-wait timeout (ms). */
  continueWaitMs?: number;
};

export type RunResult<T> = { value: T; cached: boolean; refreshedAt: number; stale?: boolean };

export class QueryRunner<T> {
  private readonly inFlight = new Map<string, Entry<T>>();
  private readonly cache = new Map<string, Cached<T>>();

  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private readonly opts: {
      continueWaitMs: number;
      maxEntries: number;
      orphanMs?: number;
      concurrency?: number;
      maxQueue?: number;
      /** Memory budget of the cache in `weigh` units (e.g. result cells); results over a quarter of it are not cached. */
      maxWeight?: number;
      weigh?: (value: T) => number;
    },
  ) {}

  /** Runs `exec` when a slot is free; a finishing query hands its slot straight to the next waiter. */
  private async limited(exec: () => Promise<T>): Promise<T> {
    const limit = this.opts.concurrency ?? Infinity;
    if (this.running >= limit) {
      if (this.waiting.length >= (this.opts.maxQueue ?? Infinity)) {
        throw new Overloaded(`The query queue is full (${this.waiting.length} queries waiting); retry later`);
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running++;
    }
    try {
      return await exec();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    }
  }

  async run(key: string, exec: () => Promise<T>, opts: RunOptions): Promise<RunResult<T>> {
    const mode: CacheMode = opts.renew ? 'no-cache' : opts.mode ?? 'stale-if-slow';
    const hit = mode === 'no-cache' ? undefined : this.cache.get(key);
    const now = Date.now();
    if (hit && hit.expires > now) {
      // Map order doubles as LRU order.
      this.cache.delete(key);
      this.cache.set(key, hit);
      if (this.inFlight.get(key)?.settled) this.inFlight.delete(key);
      return { value: hit.value, cached: true, refreshedAt: hit.at };
    }
    const stale = hit && (mode === 'stale-if-slow' || mode === 'stale-while-revalidate') && now - hit.at < MAX_STALE_MS ? hit : undefined;
    let entry = this.inFlight.get(key);
    if (entry?.settled) {
      // A poll picking up the result of a run an earlier request was told to wait for.
      this.inFlight.delete(key);
      if (entry.error !== undefined) throw entry.error;
      return { value: entry.value as T, cached: false, refreshedAt: entry.startedAt };
    }
    if (!entry) entry = this.start(key, exec, opts.ttlMs);
    if (stale && mode === 'stale-while-revalidate') {
      entry.promise.catch(() => undefined);
      return { value: stale.value, cached: true, refreshedAt: stale.at, stale: true };
    }
    const waitMs = opts.continueWaitMs ?? this.opts.continueWaitMs;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => { timer = setTimeout(() => resolve('timeout'), waitMs); });
    try {
      const outcome = await Promise.race([entry.promise, timeout]);
      if (outcome === 'timeout') {
        if (stale) return { value: stale.value, cached: true, refreshedAt: stale.at, stale: true };
        entry.handedOff = true;
        throw new ContinueWait();
      }
      return { value: outcome as T, cached: false, refreshedAt: entry.startedAt };
    } finally {
      clearTimeout(timer);
    }
  }

  private start(key: string, exec: () => Promise<T>, ttlMs: number): Entry<T> {
    const entry: Entry<T> = { promise: undefined as never, settled: false, handedOff: false, startedAt: Date.now() };
    entry.promise = this.limited(exec);
    this.inFlight.set(key, entry);
    entry.promise.then(
      (value) => {
        entry.settled = true;
        entry.value = value;
        if (ttlMs > 0) this.store(key, value, ttlMs, entry.startedAt);
        this.release(key, entry);
      },
      (error: unknown) => {
        entry.settled = true;
        entry.error = error;
        this.release(key, entry);
      },
    );
    return entry;
  }

  /** Keep a finished run that a waiting client will poll for (Cube keeps results for orphaned queries 120 s). */
  private release(key: string, entry: Entry<T>): void {
    if (!entry.handedOff) {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
      return;
    }
    const timer = setTimeout(() => {
      if (this.inFlight.get(key) === entry) this.inFlight.delete(key);
    }, this.opts.orphanMs ?? 120_000);
    timer.unref();
  }

  private weight = 0;

  private store(key: string, value: T, ttlMs: number, at: number): void {
    if (this.opts.maxEntries <= 0) return;
    const weight = this.opts.weigh?.(value) ?? 1;
    const budget = this.opts.maxWeight ?? Infinity;
    this.evict(key);
    if (weight > budget / 4) return;
    this.cache.set(key, { value, expires: Date.now() + ttlMs, at, weight });
    this.weight += weight;
    while (this.cache.size > this.opts.maxEntries || this.weight > budget) {
      this.evict(this.cache.keys().next().value as string);
    }
  }

  private evict(key: string): void {
    const old = this.cache.get(key);
    if (!old) return;
    this.cache.delete(key);
    this.weight -= old.weight;
  }

  clear(): void {
    this.cache.clear();
    this.weight = 0;
  }

  get size(): { cached: number; weight: number; inFlight: number; running: number; waiting: number } {
    return { cached: this.cache.size, weight: this.weight, inFlight: this.inFlight.size, running: this.running, waiting: this.waiting.length };
  }
}
