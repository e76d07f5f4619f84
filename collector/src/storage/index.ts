// Public surface of collector storage: the durable EventStore the HTTP layer appends to.
import type { AtomicEvent } from '../atomic/columns.ts';
import type { EnrichOptions } from '../enrich/enrich-context.ts';
import type { StorageConfig } from './storage-config.ts';

export { loadStorageConfig, type StorageConfig } from './storage-config.ts';
export { StoreFullError } from './store-full-error.ts';

/** A payload the collector could not turn into an event; kept so nothing is dropped silently. */
export interface BadRow { readonly raw: string; readonly reason: string; readonly time: number; readonly source?: string }

export interface EventStoreStats {
  readonly spoolEvents: number; readonly spoolBytes: number; readonly filesWritten: number;
  readonly eventsWritten: number; readonly duplicatesDropped: number; readonly badRows: number;
  /** Events of raw requests that enrichment (after the spool) accepted or turned into bad rows. */
  readonly eventsEnrichedGood: number; readonly eventsEnrichedBad: number;
  /** Ack pacing (ack-pacing.ts): acks held so far, and raw events spooled but not yet read by enrichment. */
  readonly acksPaced?: number; readonly backlogEvents?: number;
}

export interface EventStore {
  /** Resolves only after the batch is fsync'd to the spool (group commit); rejects with StoreFullError when full. */
  append(good: readonly AtomicEvent[], bad: readonly BadRow[]): Promise<void>;
  /** Same durability, for one raw request line (protocol/raw-record.ts) holding `events` events, enriched at flush. */
  appendRaw(record: string, events: number): Promise<void>;
  stats(): EventStoreStats;
  /** Writes everything spooled so far to Parquet now. */
  flush(): Promise<void>;
  /** flush + release files, timers and DuckDB. */
  close(): Promise<void>;
}

/** `enrich`: the options raw requests are enriched with (the collector's COLLECTOR_* enrichment settings). */
export async function openEventStore(config: StorageConfig, enrich: Partial<EnrichOptions> = {}): Promise<EventStore> {
  const { openEventStoreImpl } = await import('./event-store.ts');
  return openEventStoreImpl(config, enrich);
}
