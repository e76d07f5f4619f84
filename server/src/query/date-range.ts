// Cube's dateRange parser (api-gateway date-parser): relative phrases and absolute bounds,
// resolved against a clock in the query's time zone, returned as local wall-time strings.
import { UserError } from '../errors.ts';
import { add, endOf, startOf } from './date-math.ts';
import { formatLocal, parseLocal, wallMs } from './time-zone.ts';
import { GRANULARITIES, type DateRange, type StandardGranularity } from './types.ts';

const UNIT = `(${GRANULARITIES.join('|')})`;

function unitOf(s: string): StandardGranularity {
  return s.replace(/s$/, '') as StandardGranularity;
}

/** One point in a `from X to Y` phrase: now, today, N units ago / from now, or an absolute date. */
function parsePoint(text: string, now: number): { ms: number; unit?: StandardGranularity } | null {
  const s = text.trim().toLowerCase();
  if (s === 'now') return { ms: now };
  if (s === 'today') return { ms: now };
  if (s === 'yesterday') return { ms: add(now, -1, 'day') };
  if (s === 'tomorrow') return { ms: add(now, 1, 'day') };
  let m = new RegExp(`^(\\d+|an?) ${UNIT}s? ago$`).exec(s);
  if (m) return { ms: add(now, -(/^\d/.test(m[1]) ? +m[1] : 1), unitOf(m[2])), unit: unitOf(m[2]) };
  m = new RegExp(`^(?:in )?(\\d+|an?) ${UNIT}s?(?: from now| later)?$`).exec(s);
  if (m) return { ms: add(now, /^\d/.test(m[1]) ? +m[1] : 1, unitOf(m[2])), unit: unitOf(m[2]) };
  const abs = parseLocal(text.trim());
  return abs === null ? null : { ms: abs };
}

function relative(phrase: string, now: number): [number, number] | null {
  const s = phrase.trim().toLowerCase().replace(/\s+/g, ' ');
  if (s === 'today') return [startOf(now, 'day'), endOf(now, 'day')];
  if (s === 'yesterday') { const y = add(now, -1, 'day'); return [startOf(y, 'day'), endOf(y, 'day')]; }
  if (s === 'tomorrow') { const t = add(now, 1, 'day'); return [startOf(t, 'day'), endOf(t, 'day')]; }
  let m = new RegExp(`^(this|last|next) ${UNIT}$`).exec(s);
  if (m) {
    const unit = unitOf(m[2]);
    const at = add(now, m[1] === 'this' ? 0 : m[1] === 'last' ? -1 : 1, unit);
    return [startOf(at, unit), endOf(at, unit)];
  }
  m = new RegExp(`^(last|next) (\\d+) ${UNIT}s?$`).exec(s);
  if (m) {
    const n = +m[2], unit = unitOf(m[3]);
    // Cube: `last N` ends with the previous complete period; the current one is excluded.
    return m[1] === 'last'
      ? [startOf(add(now, -n, unit), unit), endOf(add(now, -1, unit), unit)]
      : [startOf(add(now, 1, unit), unit), endOf(add(now, n, unit), unit)];
  }
  m = /^(?:from )?(.{1,50}?) (?:to|until) (.{1,50})$/.exec(s);
  if (m) {
    const from = parsePoint(m[1], now), to = parsePoint(m[2], now);
    if (!from || !to) return null;
    // Cube snaps both ends to the finest unit named in the phrase, day by default.
    const exact = (['second', 'minute', 'hour'] as const).find((g) => s.includes(g)) ?? 'day';
    return [startOf(from.ms, exact), endOf(to.ms, exact)];
  }
  return null;
}

function absolute(value: string, end: boolean): string {
  const ms = parseLocal(value);
  if (ms === null) throw new UserError(`Can't parse date: '${value}'`);
  if (/^\d{4}-\d{2}-\d{2}$/.test(value.trim())) return formatLocal(end ? ms + 86_400_000 - 1 : ms);
  return formatLocal(ms);
}

/** Years 1 to 9999: what every engine's timestamp takes, and far inside what a JS Date holds. */
const MIN_MS = Date.parse('0001-01-01T00:00:00.000Z');
const MAX_MS = Date.parse('9999-12-31T23:59:59.999Z');

/** `[from, to]` as local strings, once both are real dates of years 1 to 9999 ('last 9999999999
 *  days' reaches past what a Date holds, which toISOString would throw on). */
function inRange(range: unknown, from: number, to: number): DateRange {
  const ok = (ms: number) => Number.isFinite(ms) && ms >= MIN_MS && ms <= MAX_MS;
  if (!ok(from) || !ok(to)) throw new UserError(`Date range is out of range: ${JSON.stringify(range)}. Dates must fall in the years 1 to 9999`);
  return [formatLocal(from), formatLocal(to)];
}

/** Normalises a query's dateRange to `[from, to]` local strings in `timezone`, with `now` as the clock. */
export function parseDateRange(range: unknown, timezone: string, now: Date = new Date()): DateRange {
  if (typeof range === 'string') {
    const r = relative(range, wallMs(now.getTime(), timezone));
    if (!r) throw new UserError(`Can't parse date: '${range}'`);
    return inRange(range, r[0], r[1]);
  }
  if (Array.isArray(range) && range.length >= 1 && range.length <= 2 && range.every((v) => typeof v === 'string')) {
    const [from, to = range[0]] = range as string[];
    const out: DateRange = [absolute(from, false), absolute(to, true)];
    return out;
  }
  throw new UserError(`Invalid dateRange: ${JSON.stringify(range)}. Expected [from, to], [day] or a relative string such as 'last 7 days'`);
}
