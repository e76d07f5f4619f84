// Evaluates a pre-aggregation partition's refresh key the way Cube does: `every` becomes the
// current period number (Cube's FLOOR(epoch / period) SQL, computed here), `sql` is run on the
// source, and with `incremental` partitions older than `update_window` keep their last key.
import type { RefreshKey, SqlTemplate } from '../model/types.ts';
import type { SourceEngine } from './source-engine.ts';

const UNIT_MS: Record<string, number> = {
  second: 1000, minute: 60000, hour: 3600000, day: 86400000, week: 604800000, month: 2592000000, year: 31536000000,
};

/** Parses Cube's `every`/`update_window` strings: `1 hour`, `30 seconds`, `7 day`. */
export function parseInterval(s: string): number {
  const m = /^\s*(\d+)\s*(second|minute|hour|day|week|month|year)s?\s*$/i.exec(s);
  if (!m) throw new Error(`Invalid interval "${s}": expected "<n> second|minute|hour|day|week|month|year"`);
  return Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!;
}

/** Only literal SQL is accepted in refresh_key/build_range SQL (no member references). */
export function plainSql(t: SqlTemplate, what: string): string {
  return t.map((p) => {
    if (typeof p === 'string') return p;
    throw new Error(`${what}: only plain SQL is supported here, found a ${p.type} reference`);
  }).join('');
}

export const FROZEN = 'frozen';

/** With `incremental`, a partition that ended more than `update_window` ago keeps its last key. */
export function isFrozen(key: RefreshKey | undefined, partitionEndUtcMs: number | undefined, now: number): boolean {
  const k = key ?? { every: '1 hour' };
  return !!k.incremental && !!k.updateWindow && partitionEndUtcMs !== undefined && partitionEndUtcMs < now - parseInterval(k.updateWindow);
}

/** A refresh key SQL's answer as recorded with a build: its first row's values. */
export function keyValue(rows: readonly Record<string, unknown>[]): string {
  return JSON.stringify(rows[0] ? Object.values(rows[0]) : null, (_k, x) => (typeof x === 'bigint' ? x.toString() : x));
}

export async function evaluateRefreshKey(
  key: RefreshKey | undefined,
  source: SourceEngine,
  opts: { readonly now: number; readonly partitionEndUtcMs?: number; readonly sqlCache?: Map<string, string> },
): Promise<string> {
  const k = key ?? { every: '1 hour' };
  if (isFrozen(k, opts.partitionEndUtcMs, opts.now)) return FROZEN;
  if (k.sql) {
    const sql = plainSql(k.sql, 'refresh_key');
    const cached = opts.sqlCache?.get(sql);
    if (cached !== undefined) return cached;
    const v = keyValue(await source.sql(sql));
    opts.sqlCache?.set(sql, v);
    return v;
  }
  return `every:${Math.floor(opts.now / parseInterval(k.every ?? '1 hour'))}`;
}
