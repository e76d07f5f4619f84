// The calendar-correct answers for the cases where Cube's own Postgres and MySQL answers
// disagree, computed from the fixture rows in plain code (never by our SQL).
import { table } from './cube-suite-data.ts';

type Row = Record<string, unknown>;

function rows(name: string): Row[] {
  const t = table(name);
  return t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c.name, r[i]])));
}

const iso = (y: number, m: number) => `${String(y).padStart(4, '0')}-${String(m + 1).padStart(2, '0')}-01T00:00:00.000`;
const isoMs = (ms: number) => new Date(ms).toISOString().replace('Z', '');

/** origin + k × (months, days, hours), added in that order on the calendar (as Postgres adds an interval). */
function shifted(origin: number, k: number, [months, days, hours]: readonly [number, number, number]): number {
  const d = new Date(origin);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + k * months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d.getTime() + k * (days * 86_400_000 + hours * 3_600_000);
}

/**
 * The start of the custom-granularity bucket holding `date`: the last origin + k × interval at
 * or before it, k any integer (Cube's docs, "Custom granularities").
 */
function bucketOf(date: string, origin: string, interval: readonly [number, number, number]): string {
  const t = Date.parse(`${date}T00:00:00Z`), o = Date.parse(`${origin}T00:00:00Z`);
  let k = 0;
  while (shifted(o, k, interval) > t) k--;
  while (shifted(o, k + 1, interval) <= t) k++;
  return isoMs(shifted(o, k, interval));
}

type Granularity = { member: string; name: string; origin: string; interval: readonly [number, number, number] };

/** A measure (count or sum of a column) by custom granularity over 2020, optionally by one dimension column. */
function byCustomGranularity(g: Granularity, measure: [string, string | null], by?: [string, string]): () => Row[] {
  return () => {
    const totals = new Map<string, number>();
    for (const r of rows('ecommerce')) {
      const d = String(r.order_date);
      if (d < '2020-01-01' || d > '2020-12-31') continue;
      const key = JSON.stringify([bucketOf(d, g.origin, g.interval), by ? r[by[1]] : null]);
      totals.set(key, (totals.get(key) ?? 0) + (measure[1] ? Number(r[measure[1]]) : 1));
    }
    return [...totals].map(([key, value]) => {
      const [bucket, dim] = JSON.parse(key) as [string, string | null];
      const row: Row = { [measure[0]]: value, [g.member]: bucket, [`${g.member}.${g.name}`]: bucket };
      if (by) row[by[0]] = dim;
      return row;
    }).sort((a, b) => String(a[g.member]).localeCompare(String(b[g.member]))
      || (by ? String(a[by[0]]).localeCompare(String(b[by[0]])) : 0));
  };
}

const HALF_YEAR = { member: 'ECommerce.customOrderDateNoPreAgg', name: 'half_year', origin: '2024-01-01', interval: [6, 0, 0] } as const;
const HALF_YEAR_APRIL = { member: 'ECommerce.customOrderDateNoPreAgg', name: 'half_year_by_1st_april', origin: '2024-04-01', interval: [6, 0, 0] } as const;
const THREE_MONTHS = { member: 'ECommerce.customOrderDateNoPreAgg', name: 'three_months_by_march', origin: '2020-03-15', interval: [3, 3, 3] } as const;
const HALF_YEAR_PREAGG = { member: 'ECommerce.orderDate', name: 'half_year', origin: '2024-01-01', interval: [6, 0, 0] } as const;
const COUNT: [string, null] = ['ECommerce.count', null];
const QUANTITY: [string, string] = ['ECommerce.totalQuantity', 'quantity'];

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

/**
 * Case name → its calendar-correct rows, for the custom-granularity and cast cases where Cube's
 * answers cannot both be right or are not calendar answers:
 * - `half_year` (origin 2024-01-01, 6 months) over 2020: Cube's Postgres answer puts one order
 *   in a 2019-07-01 half-year and its MySQL answer six in 2021-01-01, yet every order in the
 *   range is dated 2020 and half-years from 2024-01-01 start on 1 January and 1 July.
 *   `half_year_by_1st_april` (1 April / 1 October): the answers split the rows 6/19/19 and 3/16/25.
 * - `three_months_by_march` (3 months 3 days 3 hours from 2020-03-15): Cube's MySQL run skips it
 *   ("Custom Granularities"); its Postgres answer divides by a 30-day-month length and so puts
 *   the 2020-12-24 order into the bucket starting 2020-12-24 09:00, after the order.
 * - `(with preaggregation) half_year`: both Cube answers agree, but put 103 of the quantity in a
 *   2021-01-01 half-year although the date range ends 2020-12-31 (Cube's Tesseract skip list
 *   skips both cases).
 */
export const DISPUTED_TRUTH: Readonly<Record<string, () => Row[]>> = {
  'querying custom granularities ECommerce: count by half_year + no dimension': byCustomGranularity(HALF_YEAR, COUNT),
  'querying custom granularities ECommerce: count by half_year + dimension': byCustomGranularity(HALF_YEAR, COUNT, ['ECommerce.city', 'city']),
  'querying custom granularities ECommerce: count by half_year_by_1st_april + no dimension': byCustomGranularity(HALF_YEAR_APRIL, COUNT),
  'querying custom granularities ECommerce: count by half_year_by_1st_april + dimension': byCustomGranularity(HALF_YEAR_APRIL, COUNT, ['ECommerce.city', 'city']),
  'querying custom granularities ECommerce: count by three_months_by_march + no dimension': byCustomGranularity(THREE_MONTHS, COUNT),
  'querying custom granularities ECommerce: count by three_months_by_march + dimension': byCustomGranularity(THREE_MONTHS, COUNT, ['ECommerce.city', 'city']),
  'querying custom granularities (with preaggregation) ECommerce: totalQuantity by half_year + no dimension': byCustomGranularity(HALF_YEAR_PREAGG, QUANTITY),
  'querying custom granularities (with preaggregation) ECommerce: totalQuantity by half_year + dimension': byCustomGranularity(HALF_YEAR_PREAGG, QUANTITY, ['ECommerce.productName', 'product_name']),
  'querying BigECommerce: filtering with possible casts': salesWithCasts,
};

/**
 * Distinct `order_id`s of bigecommerce in each month's trailing 2-month window of 2020
 * ((end of month − 2 months, end of month], months added on the calendar as Postgres adds them),
 * null where the window holds no order: the exact answer an approximate count estimates.
 */
function distinctOrdersTrailing2Months(): Row[] {
  const orders = rows('bigecommerce').map((r) => [Date.parse(`${String(r.order_date).slice(0, 10)}T00:00:00Z`), String(r.order_id)] as const);
  return Array.from({ length: 12 }, (_, m) => {
    const end = Date.UTC(2020, m + 1, 1) - 1;
    const from = shifted(end, -1, [2, 0, 0]);
    const ids = new Set(orders.filter(([t]) => t > from && t <= end).map(([, id]) => id));
    const month = iso(2020, m);
    return { 'BigECommerce.orderDate': month, 'BigECommerce.orderDate.month': month, 'BigECommerce.rollingCountApproxBy2Month': ids.size || null };
  });
}

/**
 * count_distinct_approx cases held to the exact distinct count within the estimator's error,
 * not to another engine's estimate. Cube's Postgres snapshot comes from the postgres-hll
 * extension, DuckDB's approx_count_distinct is a different HyperLogLog (64 registers: a relative
 * standard error of 1.04/√64 = 13%), and Cube keeps one snapshot per driver for these cases
 * rather than holding drivers to each other. Here the June window holds 12 orders: Postgres's
 * estimate is 12, DuckDB's 13; both are the truth within the error. Rows, buckets and empty
 * windows (null) must match exactly; each estimate must lie within 3 standard errors of the
 * loosest estimator here (PrestoDB's and Trino's approx_distinct default to 2.3%).
 */
export const APPROXIMATE_TRUTH: Readonly<Record<string, { truth: () => Row[]; measure: string; relativeError: number }>> = {
  'querying BigECommerce: rolling count_distinct_approx window by 2 month': {
    truth: distinctOrdersTrailing2Months, measure: 'BigECommerce.rollingCountApproxBy2Month', relativeError: 1.04 / 8,
  },
};
