// A bad row: what the collector could not accept, kept with the reason so nothing is dropped silently.
// Same shape as storage's BadRow (structural), so either side can create one.
export interface BadRow {
  readonly raw: string;
  readonly reason: string;
  readonly time: number;
  readonly source?: string;
}

/** Bad rows keep at most this much of the raw payload: enough to debug, bounded on disk. */
export const BAD_ROW_SAMPLE_BYTES = 64 * 1024;

/** Kept well-formed: a lone surrogate (a sample cut inside a pair, a `\ud800` in hostile JSON)
 *  becomes U+FFFD, as the bad-row reader (DuckDB's JSON) drops a line holding one. */
export function makeBadRow(raw: string, reason: string, time: number, source?: string): BadRow {
  const sample = raw.length > BAD_ROW_SAMPLE_BYTES ? `${raw.slice(0, BAD_ROW_SAMPLE_BYTES)}…[truncated, ${raw.length} chars]` : raw;
  const row = { raw: wellFormed(sample), reason: wellFormed(reason), time };
  return source === undefined ? row : { ...row, source: wellFormed(source) };
}

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** String.prototype.toWellFormed (ES2024). */
export function wellFormed(s: string): string {
  LONE_SURROGATE.lastIndex = 0;
  return LONE_SURROGATE.test(s) ? s.replace(LONE_SURROGATE, '\ufffd') : s;
}
