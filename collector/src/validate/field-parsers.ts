// Parsers for tracker parameter formats (enrich's ConversionUtils): each returns the value or
// throws a FieldError naming the parameter, so one bad field makes one clear bad-row reason.
export class FieldError extends Error {
  constructor(message: string) {
    // A bad value is an expected outcome, not a fault: no stack, which costs more than the rest of the event.
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
  }
}

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;
const INT = /^-?\d{1,10}$/;
const MS = /^\d{1,15}$/;
const DECIMAL = /^-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;
const SIZE = /^(\d{1,7})x(\d{1,7})$/;
/** 9999-12-31T23:59:59.999Z: Snowplow refuses years outside 0–9999. */
const MAX_MS = 253402300799999;

export function uuid(key: string, v: string): string {
  if (!UUID.test(v)) throw new FieldError(`${key} must be a UUID, got ${JSON.stringify(v.slice(0, 64))}`);
  return v.toLowerCase();
}

export function int(key: string, v: string): number {
  const n = INT.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isSafeInteger(n) || n > 2147483647 || n < -2147483648) throw new FieldError(`${key} must be an integer, got ${JSON.stringify(v.slice(0, 64))}`);
  return n;
}

/** Tracker timestamps are integer milliseconds since the epoch (snowplow.md pitfall 4). */
export function millis(key: string, v: string): number {
  const n = MS.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n > MAX_MS) throw new FieldError(`${key} must be integer milliseconds since the epoch, got ${JSON.stringify(v.slice(0, 64))}`);
  return n;
}

export function decimal(key: string, v: string): number {
  const n = DECIMAL.test(v.trim()) ? Number(v.trim()) : NaN;
  if (!Number.isFinite(n)) throw new FieldError(`${key} must be a number, got ${JSON.stringify(v.slice(0, 64))}`);
  return n;
}

/** Money columns are DECIMAL(18,2). */
export function money(key: string, v: string): number {
  const n = decimal(key, v);
  if (Math.abs(n) >= 1e16) throw new FieldError(`${key} is out of range for DECIMAL(18,2)`);
  return Math.round(n * 100) / 100;
}

export function flag(key: string, v: string): boolean {
  if (v === '1' || v === 'true') return true;
  if (v === '0' || v === 'false') return false;
  throw new FieldError(`${key} must be 1 or 0, got ${JSON.stringify(v.slice(0, 64))}`);
}

export function size(key: string, v: string): [number, number] {
  const m = SIZE.exec(v.trim());
  if (!m) throw new FieldError(`${key} must be WIDTHxHEIGHT, got ${JSON.stringify(v.slice(0, 64))}`);
  return [Number(m[1]), Number(m[2])];
}
