// The calendar-correct answers for the cases where Cube's own Postgres and MySQL answers
// disagree, computed from the fixture rows in plain code (never by our SQL).
import { table } from './cube-suite-data.ts';

type Row = Record<string, unknown>;

function rows(name: string): Row[] {
  const t = table(name);
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])));
}

const iso = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01T00:00:00.000`;

/**
 * The start of the custom-granularity bucket holding `date` (YYYY-MM-DD): buckets are
 * origin + k × interval for every integer k (Cube's docs, "Custom granularities"); here the
 * intervals are whole months and the origins first-of-month midnights.
 */
function monthBucket(date: string, months: number, origin: string): string {
  const [oy, om] = origin.split('-').map(Number) as [number, number];
  const [y, m] = date.split('-').map(Number) as [number, number];
  const since = (y - oy) * 12 + (m - om);
  const k = Math.floor(since / months) * months;
  const total = oy * 12 + (om - 1) + k;
  return iso(Math.floor(total / 12), total % 12);
}

/**
 * Cube's Postgres answer for `half_year` (origin 2024-01-01, 6 months) over 2020 puts one order in
 * a 2019-07-01 half-year and its MySQL answer puts six in 2021-01-01, yet every order in the range
 * is dated 2020 and, counted on a calendar, half-years from 2024-01-01 start on 1 January and
 * 1 July. Same for `half_year_by_1st_april` (1 April / 1 October): the two answers split the
 * rows 6/19/19 and 3/16/25. The truth is counted here.
 */
function countByCustomGranularity(granularity: string, months: number, origin: string, byCity: boolean): Row[] {
  const counts = new Map<string, number>();
  for (const r of rows('ecommerce')) {
    const d = String(r.order_date);
    if (d < '2020-01-01' || d > '2020-12-31') continue;
    const key = JSON.stringify([monthBucket(d, months, origin), byCity ? r.city : null]);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([key, n]) => {
    const [bucket, city] = JSON.parse(key) as [string, string | null];
    const row: Row = {
      'ECommerce.count': n,
      'ECommerce.customOrderDateNoPreAgg': bucket,
      [`ECommerce.customOrderDateNoPreAgg.${granularity}`]: bucket,
    };
    if (byCity) row['ECommerce.city'] = city;
    return row;
  }).sort((a, b) => String(a['ECommerce.customOrderDateNoPreAgg']).localeCompare(String(b['ECommerce.customOrderDateNoPreAgg']))
    || String(a['ECommerce.city'] ?? '').localeCompare(String(b['ECommerce.city'] ?? '')));
}

/**
 * `sales >= 10 AND returning = true` by month of 2020: Cube's Postgres answer has two months
 * (48.896, 232.88), its MySQL answer twelve; the filters' casts differ by database. The rows
 * decide: sales compared as numbers, returning as a boolean.
 */
function salesWithCasts(): Row[] {
  const sums = new Map<string, number>();
  for (const r of rows('bigecommerce')) {
    const d = String(r.order_date);
    if (d < '2020-01-01' || d > '2020-12-31' || !(Number(r.sales) >= 10) || r.is_returning !== true) continue;
    const month = iso(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1);
    sums.set(month, (sums.get(month) ?? 0) + Number(r.sales));
  }
  return [...sums].sort(([a], [b]) => a.localeCompare(b)).map(([month, sum]) => ({
    'BigECommerce.orderDate': month, 'BigECommerce.orderDate.month': month, 'BigECommerce.totalSales': sum,
  }));
}

/** Case name → its calendar-correct rows, for the cases whose two Cube answers disagree. */
export const DISPUTED_TRUTH: Readonly<Record<string, () => Row[]>> = {
  'querying custom granularities ECommerce: count by half_year + no dimension': () => countByCustomGranularity('half_year', 6, '2024-01-01', false),
  'querying custom granularities ECommerce: count by half_year + dimension': () => countByCustomGranularity('half_year', 6, '2024-01-01', true),
  'querying custom granularities ECommerce: count by half_year_by_1st_april + no dimension': () => countByCustomGranularity('half_year_by_1st_april', 6, '2024-04-01', false),
  'querying custom granularities ECommerce: count by half_year_by_1st_april + dimension': () => countByCustomGranularity('half_year_by_1st_april', 6, '2024-04-01', true),
  'querying BigECommerce: filtering with possible casts': salesWithCasts,
};
