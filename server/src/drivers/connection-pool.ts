// A tiny fixed-size pool: hands out idle resources, queues callers when all are busy.
export class ConnectionPool<T> {
  private readonly idle: T[] = [];
  private readonly waiters: ((r: T) => void)[] = [];
  private created = 0;

  constructor(private readonly size: number, private readonly create: () => Promise<T>) {}

  async acquire(): Promise<T> {
    const r = this.idle.pop();
    if (r !== undefined) return r;
    if (this.created < this.size) {
      this.created++;
      try { return await this.create(); } catch (e) { this.created--; throw e; }
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(r: T): void {
    const w = this.waiters.shift();
    if (w) w(r); else this.idle.push(r);
  }

  /** Removes a broken resource so a fresh one is created next time. */
  discard(): void {
    this.created--;
  }

  drain(): T[] {
    return this.idle.splice(0);
  }
}
