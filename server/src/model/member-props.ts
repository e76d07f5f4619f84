// Small validators shared by the member and pre-aggregation compilers: each returns the typed
// value or throws an Error whose message the reporter attaches to the member's path.
import { camelize, isRecord } from './normalize-props.ts';
import type { MemberFormat } from './types.ts';

export function optString(value: unknown, key: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new Error(`'${key}' must be a string`);
  return value;
}

export function optBool(value: unknown, key: string): boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw new Error(`'${key}' must be true or false`);
  return value;
}

export function optMeta(value: unknown): Readonly<Record<string, unknown>> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value)) throw new Error(`'meta' must be an object`);
  return value;
}

/** Cube camelizes enum values too: `count_distinct` → `countDistinct`. */
export function enumValue<T extends string>(value: unknown, allowed: readonly T[], key: string): T {
  const v = typeof value === 'string' ? camelize(value) : value;
  if (typeof v !== 'string' || !(allowed as readonly string[]).includes(v)) {
    throw new Error(`Unknown ${key} '${String(value)}'; expected one of ${allowed.join(', ')}`);
  }
  return v as T;
}

export function optFormat(value: unknown): MemberFormat | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value === 'image_url' ? 'imageUrl' : value;
  if (isRecord(value) && value.type === 'link' && typeof value.label === 'string') return { type: 'link', label: value.label };
  if (isRecord(value) && (value.type === 'custom-numeric' || value.type === 'custom-time') && typeof value.value === 'string') {
    return { type: value.type, value: value.value };
  }
  throw new Error(`Invalid format ${JSON.stringify(value)}`);
}

/** Unknown keys are errors in Cube's validator; name the first few. */
export function checkKeys(props: Readonly<Record<string, unknown>>, allowed: ReadonlySet<string>, what: string): void {
  const unknown = Object.keys(props).filter((k) => !allowed.has(k));
  if (unknown.length > 0) throw new Error(`Unknown ${what} propert${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')}`);
}

/** `"7 day"`, `"1 hour 30 minutes"`, `"unbounded"`. */
export function checkInterval(value: unknown, key: string, allowUnbounded = false): string {
  if (typeof value !== 'string') throw new Error(`'${key}' must be a string like '7 day'`);
  if (allowUnbounded && value.trim() === 'unbounded') return value.trim();
  if (!/^\s*(-?\d+\s+(second|minute|hour|day|week|month|quarter|year)s?\s*)+$/i.test(value)) {
    throw new Error(`Invalid interval '${value}' in '${key}'; expected e.g. '7 day'`);
  }
  return value.trim();
}
