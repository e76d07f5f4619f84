// Wall-clock time arithmetic for partition ranges and buckets. Cube's date ranges are local
// strings in the query time zone (`YYYY-MM-DDTHH:mm:ss.SSS`, no Z), so all bucket maths runs on
// naive timestamps carried in a UTC Date; only "now" needs the zone.

export type Granularity = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

export const GRANULARITY_ORDER: readonly Granularity[] = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];

/** Parses a local `YYYY-MM-DD[THH:mm[:ss[.SSS]]]` string into a naive (UTC-carried) Date. */
export function parseLocal(s: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?/.exec(s);
  if (!m) throw new Error(`Invalid local timestamp: ${s}`);
  const ms = m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0;
  return new Date(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms));
}

export function formatLocal(d: Date): string {
  return d.toISOString().slice(0, 23);
}

export function truncate(d: Date, g: Granularity): Date {
  const y = d.getUTCFullYear(), mo = d.getUTCMonth(), day = d.getUTCDate();
  switch (g) {
    case 'second': return new Date(Math.floor(d.getTime() / 1000) * 1000);
    case 'minute': return new Date(Math.floor(d.getTime() / 60000) * 60000);
    case 'hour': return new Date(Math.floor(d.getTime() / 3600000) * 3600000);
    case 'day': return new Date(Date.UTC(y, mo, day));
    case 'week': {
      const dow = (d.getUTCDay() + 6) % 7; // ISO week: Monday is 0
      return new Date(Date.UTC(y, mo, day - dow));
    }
    case 'month': return new Date(Date.UTC(y, mo, 1));
    case 'quarter': return new Date(Date.UTC(y, mo - (mo % 3), 1));
    case 'year': return new Date(Date.UTC(y, 0, 1));
  }
}

export function addGranularity(d: Date, g: Granularity, n = 1): Date {
  const r = new Date(d.getTime());
  switch (g) {
    case 'second': return new Date(d.getTime() + n * 1000);
    case 'minute': return new Date(d.getTime() + n * 60000);
    case 'hour': return new Date(d.getTime() + n * 3600000);
    case 'day': r.setUTCDate(r.getUTCDate() + n); return r;
    case 'week': r.setUTCDate(r.getUTCDate() + 7 * n); return r;
    case 'month': r.setUTCMonth(r.getUTCMonth() + n); return r;
    case 'quarter': r.setUTCMonth(r.getUTCMonth() + 3 * n); return r;
    case 'year': r.setUTCFullYear(r.getUTCFullYear() + n); return r;
  }
}

/** True when every bucket of `coarse` is a union of whole buckets of `fine` (week ⊄ month). */
export function isDerivable(fine: Granularity, coarse: Granularity): boolean {
  const fi = GRANULARITY_ORDER.indexOf(fine), ci = GRANULARITY_ORDER.indexOf(coarse);
  if (fi < 0 || ci < 0 || fi > ci) return false;
  if (fine === 'week') return coarse === 'week';
  return true;
}

/** Wall-clock "now" in an IANA zone, as a naive Date. */
export function nowInZone(tz: string, at: Date = new Date()): Date {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(at);
  const get = (t: string) => Number(parts.find((p) => p.type === t)?.value);
  return new Date(Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'), at.getUTCMilliseconds()));
}

export interface LocalRange { readonly start: string; readonly end: string }

/** Partitions covering [from, to] (inclusive local times), each `[start, nextStart - 1ms]`. */
export function partitionRanges(from: string, to: string, g: Granularity, max = 10000): LocalRange[] {
  const end = parseLocal(to);
  const out: LocalRange[] = [];
  for (let s = truncate(parseLocal(from), g); s <= end; s = addGranularity(s, g)) {
    out.push({ start: formatLocal(s), end: formatLocal(new Date(addGranularity(s, g).getTime() - 1)) });
    if (out.length > max) throw new Error(`Pre-aggregation build range has more than ${max} partitions`);
  }
  return out;
}

/** UTC epoch ms of a naive local time in `tz` (two-pass offset lookup; DST gaps resolve forward). */
export function localToUtcMs(local: Date, tz: string): number {
  const guess = local.getTime();
  const off1 = nowInZone(tz, new Date(guess)).getTime() - guess;
  const off2 = nowInZone(tz, new Date(guess - off1)).getTime() - (guess - off1);
  return guess - off2;
}
