// Truth for queries on the pre-aggregation test model (MODEL_YAML's `pv` cube): computed in
// plain JS from the generated rows, as Cube's documentation defines each measure, filter
// operator, segment, time zone and granularity, never by SQL. count_distinct_approx is counted
// exactly here (the tests compare estimates within tolerance).
import type { Source } from './preagg-fixture.ts';

export interface SentEvent {
  readonly ms: number;
  readonly country: string | null;
  readonly browser: string | null;
  readonly mobile: boolean | null;
  /** tr_total in cents: sums stay exact. */
  readonly cents: number | null;
  readonly value: number | null;
  readonly user: string | null;
}

/** The generator's rows (what was sent), from its DuckDB. */
export async function sentEvents(generator: Source): Promise<SentEvent[]> {
  const rows = await generator.query(`SELECT epoch_ms(collector_tstamp) AS ms, geo_country, br_family, dvce_ismobile,
    CAST(round(tr_total * 100) AS BIGINT) AS cents, se_value, domain_userid FROM atomic.events`, []);
  const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));
  return rows.map((r) => ({
    ms: Number(r.ms), country: (r.geo_country as string | null) ?? null, browser: (r.br_family as string | null) ?? null,
    mobile: (r.dvce_ismobile as boolean | null) ?? null, cents: num(r.cents), value: num(r.se_value), user: (r.domain_userid as string | null) ?? null,
  }));
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Wall time of an instant in an IANA zone, `YYYY-MM-DDTHH:mm:ss.SSS`. */
function wall(ms: number, tz: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-US', {
    timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
  }).formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}.${pad(((ms % 1000) + 1000) % 1000, 3)}`;
}

/** Start of the bucket holding a wall time; weeks start on Monday (ISO), as Cube's. */
function bucket(w: string, g: string): string {
  const [y, mo, d] = [Number(w.slice(0, 4)), Number(w.slice(5, 7)), Number(w.slice(8, 10))];
  const day = (yy: number, mm: number, dd: number) => new Date(Date.UTC(yy, mm - 1, dd)).toISOString().slice(0, 10);
  switch (g) {
    case 'hour': return `${w.slice(0, 13)}:00:00.000`;
    case 'day': return `${w.slice(0, 10)}T00:00:00.000`;
    case 'week': return `${day(y, mo, d - ((new Date(Date.UTC(y, mo - 1, d)).getUTCDay() + 6) % 7))}T00:00:00.000`;
    case 'month': return `${day(y, mo, 1)}T00:00:00.000`;
    case 'quarter': return `${day(y, mo - ((mo - 1) % 3), 1)}T00:00:00.000`;
    case 'year': return `${y}-01-01T00:00:00.000`;
    default: throw new Error(`truth: granularity ${g} not modelled`);
  }
}

/** A Cube date range bound as a full local time: a bare date starts at 00:00 or ends at 23:59:59.999. */
const bound = (s: string, end: boolean) => (s.length === 10 ? `${s}T${end ? '23:59:59.999' : '00:00:00.000'}` : s.padEnd(23, '.000').slice(0, 23));

type Filter = { member?: string; operator?: string; values?: string[]; or?: Filter[]; and?: Filter[] };
type Agg = Record<string, number | null>;

const DIMS: Record<string, (e: SentEvent) => unknown> = {
  'pv.country': (e) => e.country, 'pv.browser': (e) => e.browser, 'pv.mobile': (e) => e.mobile,
};

function aggregate(es: readonly SentEvent[]): Agg {
  const values = es.map((e) => e.value).filter((v): v is number => v !== null);
  const cents = es.map((e) => e.cents).filter((v): v is number => v !== null);
  const count = es.length;
  const revenue = cents.length ? cents.reduce((a, b) => a + b, 0) / 100 : null;
  const min = values.length ? Math.min(...values) : null;
  const max = values.length ? Math.max(...values) : null;
  const avg = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
  const users = new Set(es.map((e) => e.user).filter((u) => u !== null)).size;
  const ratio = (a: number | null, b: number | null) => (a === null || !b ? null : a / b);
  return {
    'pv.count': count, 'pv.revenue': revenue, 'pv.min_value': min, 'pv.max_value': max, 'pv.avg_value': avg,
    'pv.users': users, 'pv.approx_users': users, 'pv.events_per_approx_user': ratio(count, users),
    'pv.revenue_per_event': ratio(revenue, count), 'pv.value_spread': min === null || max === null ? null : max - min,
    'pv.avg_value_x2': avg === null ? null : avg * 2, 'pv.events_per_user': ratio(count, users),
  };
}

function matches(value: unknown, f: Filter): boolean {
  const vs = f.values ?? [];
  const s = value === null || value === undefined ? null : String(value);
  const lower = (x: string) => x.toLowerCase();
  switch (f.operator) {
    case 'equals': case 'in': return s !== null && vs.includes(s);
    case 'notEquals': case 'notIn': return s === null || !vs.includes(s);
    case 'contains': return s !== null && vs.some((v) => lower(s).includes(lower(v)));
    case 'startsWith': return s !== null && vs.some((v) => lower(s).startsWith(lower(v)));
    case 'set': return s !== null;
    case 'notSet': return s === null;
    case 'gt': return value !== null && Number(value) > Number(vs[0]);
    default: throw new Error(`truth: operator ${f.operator} not modelled`);
  }
}

/** Does a filter tree hold for an event (dimension filters) or an answer row (measure filters)? */
function holds(f: Filter, get: (member: string) => unknown): boolean {
  if (f.or) return f.or.some((k) => holds(k, get));
  if (f.and) return f.and.every((k) => holds(k, get));
  return matches(get(f.member!), f);
}

const isMeasure = (f: Filter): boolean => (f.or ?? f.and)?.every(isMeasure) ?? !(f.member! in DIMS);

/** The answer rows of a Cube query on the `pv` cube, keyed by member (`pv.ts.<granularity>` for the time bucket). */
export function truth(query: Record<string, unknown>, events: readonly SentEvent[]): Record<string, unknown>[] {
  const tz = (query.timezone as string | undefined) ?? 'UTC';
  const measures = query.measures as string[];
  const dims = (query.dimensions as string[] | undefined) ?? [];
  const td = ((query.timeDimensions as { granularity?: string; dateRange?: string[] }[] | undefined) ?? [])[0];
  const filters = (query.filters as Filter[] | undefined) ?? [];
  const segments = (query.segments as string[] | undefined) ?? [];
  const where = filters.filter((f) => !isMeasure(f));
  const having = filters.filter(isMeasure);
  const groups = new Map<string, { key: Record<string, unknown>; events: SentEvent[] }>();
  for (const e of events) {
    if (segments.includes('pv.mobile_only') && e.mobile !== true) continue;
    const w = wall(e.ms, tz);
    if (td?.dateRange && (w < bound(td.dateRange[0]!, false) || w > bound(td.dateRange[1] ?? td.dateRange[0]!, true))) continue;
    if (!where.every((f) => holds(f, (m) => DIMS[m]!(e)))) continue;
    const key: Record<string, unknown> = Object.fromEntries(dims.map((d) => [d, DIMS[d]!(e)]));
    if (td?.granularity) key[`pv.ts.${td.granularity}`] = bucket(w, td.granularity);
    const k = JSON.stringify(key);
    (groups.get(k) ?? groups.set(k, { key, events: [] }).get(k)!).events.push(e);
  }
  // An ungrouped aggregate has one row even over no events (count 0), as SQL does.
  if (groups.size === 0 && dims.length === 0 && !td?.granularity) groups.set('{}', { key: {}, events: [] });
  const out: Record<string, unknown>[] = [];
  for (const { key, events: es } of groups.values()) {
    const agg = aggregate(es);
    if (!having.every((f) => holds(f, (m) => agg[m]))) continue;
    out.push({ ...key, ...Object.fromEntries(measures.map((m) => [m, agg[m]])) });
  }
  return out;
}
