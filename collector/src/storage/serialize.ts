// The spool's line format for enriched events and bad rows (the Parquet writer's input).
import type { AtomicEvent } from '../atomic/columns.ts';
import type { BadRow } from '../protocol/bad-row.ts';

export function serialize(good: readonly AtomicEvent[], bad: readonly BadRow[]): string {
  let out = '';
  for (const e of good) out += `${JSON.stringify(e)}\n`;
  for (const b of bad) out += `${JSON.stringify({ bad: b })}\n`;
  return out;
}
