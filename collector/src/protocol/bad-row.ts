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

export function makeBadRow(raw: string, reason: string, time: number, source?: string): BadRow {
  const sample = raw.length > BAD_ROW_SAMPLE_BYTES ? `${raw.slice(0, BAD_ROW_SAMPLE_BYTES)}…[truncated, ${raw.length} chars]` : raw;
  return source === undefined ? { raw: sample, reason, time } : { raw: sample, reason, time, source };
}
