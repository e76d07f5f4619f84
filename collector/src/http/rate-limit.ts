// Per-client-IP request rate limit (token bucket). Off by default: behind a NAT or a proxy without
// COLLECTOR_TRUST_PROXY many users share one address. When on, a flooding client gets 429 with
// Retry-After, which the trackers treat as "later", so nothing is lost.
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly burst: number;

  constructor(private readonly perSecond: number) {
    this.burst = Math.max(1, perSecond * 2);
  }

  /** Seconds to wait, or 0 if the request may go ahead. */
  take(key: string, now = Date.now()): number {
    if (this.perSecond <= 0) return 0;
    const b = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    b.tokens = Math.min(this.burst, b.tokens + ((now - b.at) / 1000) * this.perSecond);
    b.at = now;
    this.buckets.set(key, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil((1 - b.tokens) / this.perSecond);
  }

  /** Forgets clients whose bucket has refilled, so memory stays bounded by active clients. */
  sweep(now = Date.now()): void {
    const full = (this.burst / this.perSecond) * 1000;
    for (const [key, b] of this.buckets) if (now - b.at > full) this.buckets.delete(key);
  }

  get size(): number {
    return this.buckets.size;
  }
}
