// An AtomicEvent's value → the column's contract type, tolerant as a TRY_CAST: our enrichment
// always hands the right JS type, but spool lines written by older versions, imports and hand-made
// files may carry text for numbers and the like, and one odd value must become NULL, not lose the event.
import type { AtomicType } from '../atomic/columns.ts';

type Value = string | number | boolean | null | undefined;

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
const SMALLINT_MIN = -32_768;
const SMALLINT_MAX = 32_767;

function toNumber(v: Value): number | undefined {
  if (typeof v === 'number') return Number.isFinite(v) ? v : undefined;
  if (typeof v === 'string' && v.trim() !== '') {
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
  }
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

export function toVarchar(v: Value): string | undefined {
  if (v === null || v === undefined) return undefined;
  return typeof v === 'string' ? v : String(v);
}

/** Epoch milliseconds, or text as DuckDB casts it to TIMESTAMP (no zone means UTC). */
export function toEpochMs(v: Value): number | undefined {
  const n = toNumber(v);
  if (n !== undefined && typeof v !== 'boolean') return n;
  if (typeof v !== 'string') return undefined;
  const text = v.trim().replace(' ', 'T');
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(text) || !text.includes('T') ? text : `${text}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

function toIntIn(v: Value, min: number, max: number): number | undefined {
  const n = toNumber(v);
  if (n === undefined) return undefined;
  const r = Math.round(n);
  return r >= min && r <= max ? r : undefined;
}

export const toInteger = (v: Value): number | undefined => toIntIn(v, INT32_MIN, INT32_MAX);
export const toSmallint = (v: Value): number | undefined => toIntIn(v, SMALLINT_MIN, SMALLINT_MAX);
export const toDouble = (v: Value): number | undefined => (typeof v === 'boolean' ? undefined : toNumber(v));

const TRUE_TEXT = new Set(['true', 't', '1', 'yes', 'y']);
const FALSE_TEXT = new Set(['false', 'f', '0', 'no', 'n']);

export function toBoolean(v: Value): boolean | undefined {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'number') return Number.isFinite(v) ? v !== 0 : undefined;
  if (typeof v !== 'string') return undefined;
  const t = v.trim().toLowerCase();
  return TRUE_TEXT.has(t) ? true : FALSE_TEXT.has(t) ? false : undefined;
}

const DECIMAL_TEXT = /^([+-]?)(\d*)(?:\.(\d*))?$/;
const DECIMAL_18_MAX = 10n ** 18n;

/** DECIMAL(18,2) as its scaled integer (hundredths), rounded half away from zero like DuckDB's cast. */
export function toDecimal18x2(v: Value): bigint | undefined {
  let text: string;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return undefined;
    text = v.toFixed(3);
  } else if (typeof v === 'string') {
    text = v.trim();
  } else {
    return undefined;
  }
  const m = DECIMAL_TEXT.exec(text);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const fraction = (m[3] ?? '').padEnd(3, '0');
  let scaled = BigInt(m[2] || '0') * 100n + BigInt(fraction.slice(0, 2));
  if (fraction.charCodeAt(2) >= 0x35) scaled += 1n;
  if (scaled >= DECIMAL_18_MAX) return undefined;
  return m[1] === '-' ? -scaled : scaled;
}

/** The converter for a column type; undefined from it means NULL. */
export function converterFor(type: AtomicType): (v: Value) => string | number | boolean | bigint | undefined {
  switch (type) {
    case 'VARCHAR': return toVarchar;
    case 'TIMESTAMP': return toEpochMs;
    case 'INTEGER': return toInteger;
    case 'SMALLINT': return toSmallint;
    case 'DOUBLE': return toDouble;
    case 'BOOLEAN': return toBoolean;
    case 'DECIMAL(18,2)': return toDecimal18x2;
  }
}
