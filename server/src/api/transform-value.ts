// Serialises one engine value as Cube's REST API does: times as local `YYYY-MM-DDTHH:mm:ss.SSS`
// without `Z` (the client's fillMissingDates matches these strings exactly), numbers as strings
// (what Cube's Postgres driver and pre-aggregations return), null kept.

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A Date as UTC wall time: the engine already returned local time in the query's zone. */
export function formatDate(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

const LOCAL_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/;

/** Parses like moment.utc: a zone-less string is taken as is, one with an offset is converted to UTC. */
export function formatTime(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : formatDate(value);
  if (typeof value === 'number') return formatDate(new Date(value));
  if (typeof value === 'bigint') return formatDate(new Date(Number(value)));
  const s = typeof value === 'string' ? value.trim() : String(value).trim();
  const m = LOCAL_TIME.exec(s);
  if (m) {
    const ms = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
    return `${m[1]}-${m[2]}-${m[3]}T${m[4] ?? '00'}:${m[5] ?? '00'}:${m[6] ?? '00'}.${ms}`;
  }
  const parsed = new Date(s.replace(' ', 'T').replace(/([+-]\d{2})$/, '$1:00'));
  return Number.isNaN(parsed.getTime()) ? s : formatDate(parsed);
}

export function transformValue(value: unknown, type: string | undefined): unknown {
  if (value === null || value === undefined) return null;
  if (type === 'time' || value instanceof Date) return formatTime(value);
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? String(value) : null;
    case 'bigint':
      return value.toString();
    default:
      break;
  }
  if (typeof value === 'object') {
    // `{ value }` wrappers (BigQuery-style) are unwrapped as in Cube's transformValue.
    const v = value as { value?: unknown; toString(): string };
    if ('value' in v && v.value !== undefined) return transformValue(v.value, type);
    // DuckDB decimals, hugeints and the like print their exact value.
    if (typeof v.toString === 'function' && v.toString !== Object.prototype.toString) return v.toString();
    return JSON.stringify(value);
  }
  return String(value);
}
