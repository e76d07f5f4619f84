// How long a query result may be served from the cache: the shortest `refresh_key.every` of
// the cubes the query reads (Cube's query-cache refresh key), else Cube's default for the
// engine (10 s; 2 minutes for Athena and Presto, whose scans are billed and slow).
import type { CompiledModel } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { cubesOfQuery } from './cube-query.ts';

const UNIT_SECONDS: Record<string, number> = { second: 1, minute: 60, hour: 3600, day: 86400, week: 604800 };

export function parseEvery(every: string): number | undefined {
  const m = /^\s*(\d+)\s*(second|minute|hour|day|week)s?\s*$/i.exec(every);
  return m ? Number(m[1]) * UNIT_SECONDS[m[2]!.toLowerCase()]! : undefined;
}

export function refreshTtlSeconds(model: CompiledModel, query: NormalizedQuery, dbType: string): number | undefined {
  let ttl: number | undefined;
  for (const name of cubesOfQuery(query)) {
    const cube = model.cubes.get(name);
    const key = cube?.refreshKey;
    if (!key) continue;
    // A SQL key is part of the cache key: the result stays valid until its value changes.
    const seconds = key.immutable || key.sql ? 24 * 3600 : key.every ? parseEvery(key.every) : undefined;
    if (seconds !== undefined) ttl = ttl === undefined ? seconds : Math.min(ttl, seconds);
  }
  if (ttl !== undefined) return ttl;
  return ['athena', 'prestodb', 'presto'].includes(dbType) ? 120 : undefined;
}
