// One Presto/Trino result value → the convention of types.ts, decided by the column type the
// engine reports rather than by the value's shape (a VARCHAR that looks like a time stays as is).
import { formatWallString } from './types.ts';

const WALL_TIME = /^(date|timestamp(\(\d+\))?)$/;
const ZONED_TIME = /^timestamp(\(\d+\))? with time zone$/;

export function prestoValue(value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null;
  // BIGINT arrives as a JSON number (or a digit string past 2^53, lossless-json.ts), DECIMAL as a string.
  if (type === 'bigint' || type.startsWith('decimal')) return String(value);
  if (WALL_TIME.test(type)) return formatWallString(String(value));
  // A UTC instant reads as its UTC wall time (Cube's drivers strip the ` UTC`); other zones stay spelled out.
  if (ZONED_TIME.test(type) && String(value).endsWith(' UTC')) return formatWallString(String(value));
  return value;
}
