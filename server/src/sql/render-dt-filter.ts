// `{FILTER_PARAMS.cube.time.dtFilter('e.dt')}` (webcube's own, beside Cube's `.filter`): prunes
// the collector's `dt=YYYY-MM-DD` partitions (dt = UTC day of collector_tstamp) to the days that
// can hold the query's range on a time member. The days run from one before the range's first
// UTC day (device clocks a little ahead) to three after its last (events that reach the
// collector late, as Snowplow's dbt models allow). Only a range with both ends prunes (a
// dateRange, inDateRange, onTheDate); any other filter, or none, gives `1 = 1`. The bounds are
// computed here and bound as 'YYYY-MM-DD' strings, so each engine only casts dt to text.
import type { MemberFilter } from '../query/types.ts';
import { localToUtc } from '../query/time-zone.ts';
import type { RenderContext } from './render-context.ts';

const DAY_MS = 86_400_000;
export const DT_DAYS_BEFORE = 1;
export const DT_DAYS_AFTER = 3;

const FIRST_DAY = '0000-01-01';
const LAST_DAY = '9999-12-31';

/** The UTC day of a local wall time in `tz`, moved by `days`; kept within years 0–9999, as a day
 *  past them prints as `+010000-…`, which compares before every real dt and pruned them all
 *  (a lambda tail's open end, 9999-12-31, read no rows at all). */
function utcDay(local: string, tz: string, days: number): string {
  const day = localToUtc(local, tz).slice(0, 10);
  const ms = Date.parse(`${day}T00:00:00Z`) + days * DAY_MS;
  if (!(ms < Date.parse(`${LAST_DAY}T00:00:00Z`))) return LAST_DAY;
  if (!(ms > Date.parse(`${FIRST_DAY}T00:00:00Z`))) return FIRST_DAY;
  return new Date(ms).toISOString().slice(0, 10);
}

/** The first and last dt a filter's rows can sit in, or null when it does not bound both ends. */
export function dtBounds(f: MemberFilter, tz: string): readonly [string, string] | null {
  if (f.operator !== 'inDateRange' && f.operator !== 'onTheDate') return null;
  const [from, to] = f.values;
  if (!from || !to) return null;
  return [utcDay(from, tz, -DT_DAYS_BEFORE), utcDay(to, tz, DT_DAYS_AFTER)];
}

/** The pruning condition on `column` for the filters on the member (AND-ed, as they all hold). */
export function renderDtFilter(ctx: RenderContext, column: string, filters: readonly MemberFilter[]): string {
  const dt = ctx.dialect.castToString(column);
  const conds = filters.flatMap((f) => {
    const bounds = dtBounds(f, ctx.query.timezone);
    return bounds ? [`${dt} >= ${ctx.params.add(bounds[0])} AND ${dt} <= ${ctx.params.add(bounds[1])}`] : [];
  });
  return conds.length ? `(${conds.join(' AND ')})` : '1 = 1';
}
