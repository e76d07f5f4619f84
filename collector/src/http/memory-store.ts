// An in-memory EventStore for HTTP tests: records what the collector appended and can be told
// to refuse appends the way the real store does when its spool is full.
import type { AtomicEvent } from '../atomic/columns.ts';
import type { BadRow, EventStore, EventStoreStats } from '../storage/index.ts';
import { StoreFullError } from '../storage/index.ts';

export class MemoryStore implements EventStore {
  readonly good: AtomicEvent[] = [];
  readonly bad: BadRow[] = [];
  full = false;
  closed = false;

  async append(good: readonly AtomicEvent[], bad: readonly BadRow[]): Promise<void> {
    if (this.full) throw new StoreFullError('spool full', 7);
    this.good.push(...good);
    this.bad.push(...bad);
  }

  stats(): EventStoreStats {
    return { spoolEvents: this.good.length, spoolBytes: 0, filesWritten: 0, eventsWritten: 0, duplicatesDropped: 0, badRows: this.bad.length };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}
