// Names of the files the writer produces. A spool segment always yields the same names, so
// replaying a segment after a crash overwrites its own earlier output instead of duplicating it.
import { createHash } from 'node:crypto';

/** A UUID-shaped name derived from a seed (RFC 4122 layout, version nibble 5 like name-based UUIDs). */
export function seededUuid(seed: string): string {
  const h = createHash('sha1').update(seed).digest('hex');
  const variant = ((parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** 2026-11-22T16:05:12.345Z → 20261122T160512345Z: sortable, no characters that need escaping. */
export function compactTimestamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

export const isDt = (dt: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(dt);

export function eventsKey(dt: string, firstTstampMs: number, uuid: string): string {
  return `events/dt=${dt}/part-${compactTimestamp(firstTstampMs)}-${uuid}.parquet`;
}

export function badKey(dt: string, firstTimeMs: number, uuid: string): string {
  return `bad/dt=${dt}/bad-${compactTimestamp(firstTimeMs)}-${uuid}.ndjson`;
}

/** The dt partition of a key such as events/dt=2026-01-02/part-….parquet. */
export function dtOfKey(key: string): string | undefined {
  return /(?:^|\/)dt=(\d{4}-\d{2}-\d{2})\//.exec(key)?.[1];
}
