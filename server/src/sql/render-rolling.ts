// rolling_window measures (Cube's time-series join): a series of buckets over the query's
// date range, each LEFT JOINed to the raw rows whose local time falls in its window
// (trailing/leading "N unit" or unbounded, offset start|end, or *_to_date), then aggregated.
import { UserError } from '../errors.ts';
import type { Dimension, Measure } from '../model/types.ts';
import type { JoinPlan } from '../planner/plan-joins.ts';
import { add, startOf } from '../query/date-math.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import { formatLocal, parseLocal } from '../query/time-zone.ts';
import { GRANULARITIES, type NormalizedQuery, type StandardGranularity } from '../query/types.ts';
import { whereConditions, type OutputColumn } from './render-clauses.ts';
import type { RenderContext } from './render-context.ts';
import { renderFrom } from './render-from.ts';
import { dimensionSql, granularityOrigin, measureInput, parseCompoundInterval, parseInterval } from './render-members.ts';

const MAX_BUCKETS = 10_000;

export function windowCondition(ctx: RenderContext, m: Measure, t: string, from: string, to: string): string {
  const rw = m.rollingWindow!;
  const d = ctx.dialect;
  if (rw.type && rw.type !== 'fixed') {
    const unit = (rw.type === 'to_date' ? rw.granularity : rw.type.replace('_to_date', '')) as StandardGranularity;
    if (!GRANULARITIES.includes(unit)) throw new UserError(`Measure '${m.path}': unsupported rolling_window granularity '${unit}'`);
    return `${t} >= ${d.timeTrunc(unit, to)} AND ${t} <= ${to}`;
  }
  const offset = rw.offset ?? 'end';
  const conds: string[] = [];
  if (rw.trailing !== 'unbounded') {
    const base = offset === 'start' ? from : to;
    const start = rw.trailing ? d.addInterval(base, -parseInterval(rw.trailing)[0], parseInterval(rw.trailing)[1]) : base;
    conds.push(`${t} ${offset === 'start' ? '>=' : '>'} ${start}`);
  }
  if (rw.leading !== 'unbounded') {
    const base = offset === 'end' ? to : from;
    const end = rw.leading ? d.addInterval(base, parseInterval(rw.leading)[0], parseInterval(rw.leading)[1]) : base;
    conds.push(`${t} ${offset === 'end' ? '<=' : '<'} ${end}`);
  }
  return conds.length ? conds.join(' AND ') : '1 = 1';
}

const CALENDAR_ORDER: StandardGranularity[] = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'];

/** Buckets [start, next start − 1 ms] of a custom interval granularity that meet [from, to]: origin + k × interval on the calendar. */
function customBuckets(dim: Dimension, granularity: string, from: number, to: number): [number, number][] {
  const custom = dim.granularities.find((g) => g.name === granularity);
  if (!custom?.interval) throw new UserError(`Rolling window measures need a standard granularity or a custom one with an interval, not '${granularity}'`);
  const parts = parseCompoundInterval(custom.interval);
  const origin = parseLocal(granularityOrigin(custom.origin, custom.offset))!;
  const start = (k: number) => {
    let ms = origin;
    for (const unit of CALENDAR_ORDER) {
      const n = parts.filter(([, u]) => u === unit).reduce((sum, [v]) => sum + v, 0);
      if (n) ms = add(ms, k * n, unit);
    }
    return ms;
  };
  const approx = start(1) - origin;
  if (approx <= 0) throw new UserError(`Granularity '${dim.path}.${granularity}': the interval must be positive`);
  let k = Math.floor((from - origin) / approx);
  while (start(k) > from) k--;
  while (start(k + 1) <= from) k++;
  const buckets: [number, number][] = [];
  for (; start(k) <= to; k++) {
    buckets.push([start(k), start(k + 1) - 1]);
    if (buckets.length > MAX_BUCKETS) throw new UserError(`Time series of more than ${MAX_BUCKETS} ${granularity} buckets is too large: narrow the date range`);
  }
  return buckets;
}

export function seriesSql(ctx: RenderContext, range: readonly [string, string], granularity: string | undefined, dim: Dimension): string {
  const q = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const ts = (v: string) => ctx.dialect.timestampParam(ctx.params.add(v));
  const from = parseLocal(range[0])!, to = parseLocal(range[1])!;
  let buckets: [number, number][] = [];
  if (!granularity) buckets.push([from, to]);
  else if (!GRANULARITIES.includes(granularity as StandardGranularity)) buckets = customBuckets(dim, granularity, from, to);
  else {
    const g = granularity as StandardGranularity;
    for (let s = startOf(from, g); s <= to; s = add(s, 1, g)) {
      buckets.push([s, add(s, 1, g) - 1]);
      if (buckets.length > MAX_BUCKETS) throw new UserError(`Time series of more than ${MAX_BUCKETS} ${granularity}s is too large: narrow the date range`);
    }
  }
  return buckets.map(([a, b]) => `SELECT ${ts(formatLocal(a))} ${q('date_from')}, ${ts(formatLocal(b))} ${q('date_to')}`).join('\nUNION ALL\n');
}

// Each granularity's parents down to the second (Cube's standardGranularitiesParents).
const PARENTS: Record<StandardGranularity, readonly StandardGranularity[]> = {
  year: ['year', 'quarter', 'month', 'day', 'hour', 'minute', 'second'], quarter: ['quarter', 'month', 'day', 'hour', 'minute', 'second'],
  month: ['month', 'day', 'hour', 'minute', 'second'], week: ['week', 'day', 'hour', 'minute', 'second'],
  day: ['day', 'hour', 'minute', 'second'], hour: ['hour', 'minute', 'second'], minute: ['minute', 'second'], second: ['second'],
};

/** The coarsest granularity both divide into: month and day → day, month and week → day. */
function minGranularity(a: StandardGranularity, b: StandardGranularity): StandardGranularity {
  if (PARENTS[a].includes(b)) return b;
  if (PARENTS[b].includes(a)) return a;
  return [...PARENTS[a]].find((g) => PARENTS[b].includes(g))!;
}

/** A custom granularity counts as the smallest unit of its interval (Cube's resolvedGranularity). */
function resolvedGranularity(dim: Dimension, granularity: string): StandardGranularity {
  if (GRANULARITIES.includes(granularity as StandardGranularity)) return granularity as StandardGranularity;
  const custom = dim.granularities.find((g) => g.name === granularity);
  const units = custom?.interval ? parseCompoundInterval(custom.interval).map(([, u]) => u) : ['day' as const];
  return CALENDAR_ORDER.filter((u) => units.includes(u)).pop() ?? 'day';
}

/**
 * The time dimension whose buckets make the series, as Cube picks it: folding the query's
 * granularities with minGranularity, a time dimension takes the series over when the fold lands
 * on its own granularity. Month then week folds to day, which neither is: the month series stays
 * and the week column shows the week of each month's start; month, week, then day: a day series.
 */
function seriesTimeDimension(ctx: RenderContext, q: NormalizedQuery) {
  let chosen: NormalizedQuery['timeDimensions'][number] | undefined;
  let folded: StandardGranularity | undefined;
  for (const t of q.timeDimensions) {
    if (!t.granularity) continue;
    const g = resolvedGranularity(underlyingMember(ctx.model, resolveMember(ctx.model, t.dimension)) as Dimension, t.granularity);
    const mg = folded ? minGranularity(folded, g) : g;
    if (mg === g) chosen = t;
    folded = mg;
  }
  return chosen;
}

/** Cube's granularityFromInterval: the unit a window's length is written in ('unbounded': none). */
function intervalGranularity(interval: string | undefined): StandardGranularity | undefined {
  if (!interval) return undefined;
  return (['day', 'month', 'year', 'week', 'hour'] as const).find((u) => interval.includes(u));
}

const ADDITIVE = new Set(['count', 'sum', 'min', 'max', 'countDistinctApprox']);

/**
 * The bucket an additive measure's rows are first grouped by before the windows are laid over
 * them, as Cube's time-series query does: the finer of the window's unit and the series'.
 * Windows then take or leave whole buckets by their start: a two_mo_by_feb bucket ending
 * Feb 1 09:59:59 takes the February month bucket (starting Feb 1 00:00), so Cube's windows over
 * 10 a.m.-aligned custom buckets reach about a month past them (Cube's driver suite).
 */
function baseGranularity(m: Measure, seriesGranularity: StandardGranularity | undefined): StandardGranularity | undefined {
  const rw = m.rollingWindow!;
  if (!ADDITIVE.has(m.type) || !seriesGranularity) return undefined;
  const units = [intervalGranularity(rw.trailing), intervalGranularity(rw.leading), seriesGranularity].filter((u): u is StandardGranularity => !!u);
  return units.reduce((a, b) => minGranularity(a, b));
}

export function renderRollingGroup(ctx: RenderContext, plan: JoinPlan, q: NormalizedQuery, dims: readonly OutputColumn[], m: { alias: string; measure: Measure }): string {
  const qi = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const td = seriesTimeDimension(ctx, q) ?? q.timeDimensions.find((t) => t.dateRange);
  if (!td?.dateRange) throw new UserError(`Measure '${m.measure.path}' has a rolling_window: the query needs a time dimension with a dateRange`);
  const tdMember = td.granularity ? `${td.dimension}.${td.granularity}` : undefined;
  // The base rows ignore the date range of the rolling dimension: windows reach before it.
  const baseQuery: NormalizedQuery = { ...q, timeDimensions: q.timeDimensions.map((t) => (t === td ? { dimension: t.dimension } : t)) };
  const bctx: RenderContext = { ...ctx, query: baseQuery };
  const dim = underlyingMember(ctx.model, resolveMember(ctx.model, td.dimension));
  const tzLocal = ctx.dialect.convertTz(dimensionSql(bctx, dim as Dimension), q.timezone);
  const grain = baseGranularity(m.measure, td.granularity ? resolvedGranularity(dim as Dimension, td.granularity) : undefined);
  const local = grain ? ctx.dialect.timeTrunc(grain, tzLocal) : tzLocal;
  // Other standard granularities of the series' dimension are read off each bucket's start.
  const fromSeries = new Map<string, string>();
  for (const t of q.timeDimensions) {
    if (!t.granularity || t.dimension !== td.dimension || `${t.dimension}.${t.granularity}` === tdMember) continue;
    if (GRANULARITIES.includes(t.granularity as StandardGranularity)) {
      fromSeries.set(`${t.dimension}.${t.granularity}`, ctx.dialect.timeTrunc(t.granularity as StandardGranularity, `${qi('series')}.${qi('date_from')}`));
    }
  }
  const others = dims.filter((d) => d.member !== tdMember && !fromSeries.has(d.member));
  const { where } = whereConditions(bctx, baseQuery);
  const baseCols = [`${local} ${qi('__t')}`, ...others.map((d) => `${d.sql} ${qi(d.alias)}`), `${measureInput(bctx, m.measure).replace(/^\*$/, '1')} ${qi('__m')}`];
  const base = `SELECT\n  ${baseCols.join(',\n  ')}\nFROM ${renderFrom(bctx, plan)}${where.length ? `\nWHERE ${where.join(' AND ')}` : ''}`;
  const series = seriesSql(ctx, td.dateRange, td.granularity, dim as Dimension);
  const b = (c: string) => `${qi('base')}.${qi(c)}`;
  const on = windowCondition(ctx, m.measure, b('__t'), `${qi('series')}.${qi('date_from')}`, `${qi('series')}.${qi('date_to')}`);
  const input = b('__m');
  const agg = {
    count: `count(${input})`, countDistinct: `count(DISTINCT ${input})`, countDistinctApprox: ctx.dialect.countDistinctApprox(input),
    sum: `sum(${input})`, avg: `avg(${input})`, min: `min(${input})`, max: `max(${input})`,
  }[m.measure.type as string];
  if (!agg) throw new UserError(`Measure '${m.measure.path}': rolling_window is not supported for type '${m.measure.type}'`);
  // Cube answers null, not 0, for a window without rows (it sums per-bucket partial counts).
  const aggSql = `CASE WHEN count(${b('__t')}) = 0 THEN NULL ELSE ${agg} END`;
  const cols = [
    ...dims.map((d) => (d.member === tdMember ? `${qi('series')}.${qi('date_from')} ${qi(d.alias)}`
      : fromSeries.has(d.member) ? `${fromSeries.get(d.member)} ${qi(d.alias)}` : `${b(d.alias)} ${qi(d.alias)}`)),
    `${aggSql} ${qi(m.alias)}`,
  ];
  const groupBy = dims.length ? `\nGROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : '';
  // With other dimensions an empty window has no dimension values to report: drop it rather than
  // emit a row of NULLs (the client fills missing dates); alone, every bucket is kept.
  const join = others.length ? 'INNER JOIN' : 'LEFT JOIN';
  return `SELECT\n  ${cols.join(',\n  ')}\nFROM (\n${series}\n) AS ${qi('series')}\n${join} (\n${base}\n) AS ${qi('base')} ON ${on}${groupBy}`;
}
