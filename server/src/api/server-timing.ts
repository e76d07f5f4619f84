// Where a /load request's time went, sent back as a Server-Timing header (readable by the
// dashboard's own Resource Timing and by benches): auth (token and context), prepare (model,
// normalise, compile, pre-aggregation matching), preagg (of it: reloading the build log and
// reading the lambda tail a query needs), queue (waiting for a query
// slot), db (the engine running the SQL), shape (rows to Cube's response). With several parts
// (compareDateRange, blending) running at once, the slowest part's figure is kept.
export type TimingPhase = 'auth' | 'prepare' | 'preagg' | 'queue' | 'db' | 'shape';

export class ServerTiming {
  private readonly ms = new Map<TimingPhase, number>();
  private cacheHits = 0;
  private cacheMisses = 0;

  /** Records `ms` for `phase`, keeping the largest figure of concurrent parts. */
  note(phase: TimingPhase, ms: number): void {
    this.ms.set(phase, Math.max(this.ms.get(phase) ?? 0, ms));
  }

  /** Times `fn` as `phase`. */
  async time<T>(phase: TimingPhase, fn: () => Promise<T>): Promise<T> {
    const t = performance.now();
    try {
      return await fn();
    } finally {
      this.note(phase, performance.now() - t);
    }
  }

  cache(hit: boolean): void {
    if (hit) this.cacheHits += 1;
    else this.cacheMisses += 1;
  }

  header(): string {
    const parts = [...this.ms].map(([phase, ms]) => `${phase};dur=${ms.toFixed(1)}`);
    if (this.cacheHits + this.cacheMisses > 0) parts.push(`cache;desc="${this.cacheHits} hit ${this.cacheMisses} miss"`);
    return parts.join(', ');
  }
}
