// Wall-time ↔ UTC conversion for IANA zones with nothing but Intl, so date ranges given in the
// query's time zone (Cube's `timezone`) can be turned into UTC parameters, DST included.

const zones = new Set(Intl.supportedValuesOf('timeZone').map((z) => z.toLowerCase()));
const formatters = new Map<string, Intl.DateTimeFormat>();

export function isValidTimeZone(tz: string): boolean {
  if (zones.has(tz.toLowerCase()) || tz === 'UTC' || tz === 'Etc/UTC') return true;
  try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); return true; } catch { return false; }
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', second: '2-digit',
    });
    formatters.set(tz, f);
  }
  return f;
}

/** Wall-clock time of `ms` (epoch) in `tz`, expressed as epoch ms of the same wall time in UTC. */
// Offsets change only at transitions, which fall on quarter hours: cache per zone and quarter hour.
const offsetCache = new Map<string, number>();

export function wallMs(ms: number, tz: string): number {
  if (tz === 'UTC') return ms;
  const key = `${tz}|${Math.floor(ms / 900_000)}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return ms + cached;
  const wall = computeWallMs(ms, tz);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, wall - ms);
  return wall;
}

function computeWallMs(ms: number, tz: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(tz).formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const whole = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
  return whole + (((ms % 1000) + 1000) % 1000);
}

/** Epoch ms of the wall time `wall` (epoch ms read as UTC fields) in `tz`; gaps resolve forward like moment-timezone. */
export function zonedToEpoch(wall: number, tz: string): number {
  if (tz === 'UTC') return wall;
  const offset1 = wallMs(wall, tz) - wall;
  let t = wall - offset1;
  const offset2 = wallMs(t, tz) - t;
  if (offset2 !== offset1) {
    const t2 = wall - offset2;
    t = wallMs(t2, tz) === wall ? t2 : Math.max(t, t2);
  }
  return t;
}

const LOCAL_RE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?/;

/** Parses `YYYY-MM-DD[THH:mm[:ss[.SSS]]]` (anything after, e.g. Z, ignored) as UTC fields. */
export function parseLocal(s: string): number | null {
  const m = LOCAL_RE.exec(s);
  if (!m) return null;
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const v = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms);
  const d = new Date(v);
  if (d.getUTCFullYear() !== +m[1] || d.getUTCMonth() !== +m[2] - 1 || d.getUTCDate() !== +m[3]) return null;
  return v;
}

/** Cube's local time format: `YYYY-MM-DDTHH:mm:ss.SSS`, no zone suffix. */
export function formatLocal(ms: number): string {
  return new Date(ms).toISOString().slice(0, 23);
}

/** A local wall-time string in `tz` → the same instant as a UTC string in Cube's format. */
export function localToUtc(local: string, tz: string): string {
  const wall = parseLocal(local);
  if (wall === null) throw new Error(`Invalid local time: ${local}`);
  return formatLocal(zonedToEpoch(wall, tz));
}
