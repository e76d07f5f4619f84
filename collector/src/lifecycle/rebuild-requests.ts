// Days whose pre-aggregation partitions must be rebuilt because rows were erased from them.
// `webcube forget` may run where the pre-aggregation store cannot be opened (DuckDB's file is
// held by the server), so it leaves a request under _lifecycle/rebuild/ and the refresh worker
// (standalone or in the server) rebuilds those partitions and then deletes the request.
import { randomUUID } from 'node:crypto';
import type { Sink } from '../sinks/sink.ts';
import { compactTimestamp } from '../storage/part-name.ts';

export const REBUILD_PREFIX = '_lifecycle/rebuild/';

export interface RebuildRequest {
  readonly key: string;
  /** UTC days whose partitions are rebuilt (erasure). */
  readonly days: readonly string[];
  /** Partitions ending before this UTC day are dropped (retention). */
  readonly dropBefore?: string;
  readonly created: number;
}

export async function requestRebuild(sink: Sink, days: readonly string[], dropBefore?: string): Promise<string | undefined> {
  if (days.length === 0 && !dropBefore) return undefined;
  const created = Date.now();
  const key = `${REBUILD_PREFIX}${compactTimestamp(created)}-${randomUUID()}.json`;
  await sink.putBytes(key, JSON.stringify({ days: [...days].sort(), created, ...(dropBefore ? { dropBefore } : {}) }));
  return key;
}

export async function pendingRebuilds(sink: Sink): Promise<RebuildRequest[]> {
  const out: RebuildRequest[] = [];
  for (const key of await sink.list(REBUILD_PREFIX)) {
    const bytes = await sink.getBytes(key);
    if (!bytes) continue;
    const body = JSON.parse(Buffer.from(bytes).toString('utf8')) as { days: string[]; created: number; dropBefore?: string };
    out.push({ key, days: body.days, created: body.created, ...(body.dropBefore ? { dropBefore: body.dropBefore } : {}) });
  }
  return out;
}

export async function completeRebuild(sink: Sink, key: string): Promise<void> {
  await sink.delete([key]);
}
