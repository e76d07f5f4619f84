// An in-memory EventStore for HTTP tests: records what the collector appended and can be told
// to refuse appends the way the real store does when its spool is full. Raw requests are enriched
// at once (the real store does it at flush, on a worker thread).
import type { AtomicEvent } from '../atomic/columns.ts';
import type { BadRow, EventStore, EventStoreStats } from '../storage/index.ts';
import { StoreFullError } from '../storage/index.ts';
import { createEnrichContext, type EnrichContext, type EnrichOptions } from '../enrich/enrich-context.ts';
import { enrichRawRecord } from '../enrich-raw-record.ts';
import { decodeRawRecord } from '../protocol/raw-record.ts';

export class MemoryStore implements EventStore {
  readonly good: AtomicEvent[] = [];
  readonly bad: BadRow[] = [];
  full = false;
  closed = false;
  private enrichedGood = 0;
  private enrichedBad = 0;
  private ctx: EnrichContext | undefined;

  constructor(private readonly enrich: Partial<EnrichOptions> = { geoip: 'off' }) {}

  async appendRaw(record: string): Promise<void> {
    if (this.full) throw new StoreFullError('spool full', 7);
    const r = decodeRawRecord(record.trimEnd());
    if (!r) throw new Error('not a raw record');
    this.ctx ??= createEnrichContext(this.enrich);
    const { good, bad } = enrichRawRecord(r, this.ctx);
    this.good.push(...good);
    this.bad.push(...bad);
    this.enrichedGood += good.length;
    this.enrichedBad += bad.length;
  }

  async append(good: readonly AtomicEvent[], bad: readonly BadRow[]): Promise<void> {
    if (this.full) throw new StoreFullError('spool full', 7);
    this.good.push(...good);
    this.bad.push(...bad);
  }

  stats(): EventStoreStats {
    return { spoolEvents: this.good.length, spoolBytes: 0, filesWritten: 0, eventsWritten: 0, duplicatesDropped: 0, badRows: this.bad.length,
      eventsEnrichedGood: this.enrichedGood, eventsEnrichedBad: this.enrichedBad };
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.closed = true;
  }
}
