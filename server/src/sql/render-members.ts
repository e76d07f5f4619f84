// SQL for single members: a dimension's value (sql, case, geo), a time dimension bucketed in
// the query's time zone (standard or custom granularity), and a measure's aggregate with its
// `filters` as CASE WHEN inside, count → count(distinct pk) when the cube is multiplied.
import { UserError } from '../errors.ts';
import type { Dimension, Measure, SqlTemplate } from '../model/types.ts';
import { add } from '../query/date-math.ts';
import { formatLocal, parseLocal } from '../query/time-zone.ts';
import { GRANULARITIES, type StandardGranularity } from '../query/types.ts';
import { expandTemplate } from './expand-template.ts';
import type { ExpandScope, RenderContext } from './render-context.ts';

export function dimensionSql(ctx: RenderContext, dim: Dimension, scope: ExpandScope = {}): string {
  const sql = ownDimensionSql(ctx, dim, scope);
  const shifts = dim.type === 'time' && !isReference(dim.sql) ? ctx.timeShifts?.get(dim.path) : undefined;
  return shifts ? shifts.reduce((s, [n, unit]) => ctx.dialect.addInterval(s, n, unit), sql) : sql;
}

/** `sql: "{other_time}"`: shifted where the referenced dimension is rendered, not twice. */
const isReference = (sql: SqlTemplate | undefined): boolean =>
  !!sql && sql.filter((p) => typeof p !== 'string' || p.trim() !== '').length === 1 && sql.some((p) => typeof p !== 'string' && p.type === 'member');

function ownDimensionSql(ctx: RenderContext, dim: Dimension, scope: ExpandScope): string {
  // render-sub-query.ts renders through this module, so it is reached through the context.
  if (dim.subQuery && dim.sql && !scope.inSubQuery) return ctx.renderers.subQueryDimension(ctx, dim);
  if (dim.sql) {
    const sql = expandTemplate(ctx, dim.sql, scope);
    return dim.type === 'time' ? ctx.dialect.timeColumn(sql) : sql;
  }
  if (dim.case) {
    const label = (l: string | { readonly sql: SqlTemplate }) =>
      typeof l === 'string' ? ctx.dialect.stringLiteral(l) : expandTemplate(ctx, l.sql, scope);
    const whens = dim.case.when.map((w) => `WHEN ${expandTemplate(ctx, w.sql, scope)} THEN ${label(w.label)}`).join(' ');
    return `CASE ${whens}${dim.case.else ? ` ELSE ${label(dim.case.else.label)}` : ''} END`;
  }
  if (dim.latitude && dim.longitude) return ctx.dialect.geo(expandTemplate(ctx, dim.latitude, scope), expandTemplate(ctx, dim.longitude, scope));
  throw new UserError(`Dimension '${dim.path}' has no sql`);
}

const INTERVAL_RE = /^\s*(-?\d+)\s+(second|minute|hour|day|week|month|quarter|year)s?\s*$/i;

/** Parses Cube's "N unit" intervals (single unit) into [n, unit]. */
export function parseInterval(text: string): [number, StandardGranularity] {
  const m = INTERVAL_RE.exec(text);
  if (!m) throw new UserError(`Unsupported interval '${text}': expected 'N unit' such as '7 day'`);
  return [Number(m[1]), m[2].toLowerCase() as StandardGranularity];
}

const COMPOUND_RE = /^\s*(?:-?\d+\s+(?:second|minute|hour|day|week|month|quarter|year)s?\s*)+$/i;
const PART_RE = /(-?\d+)\s+(second|minute|hour|day|week|month|quarter|year)s?/gi;

/** Cube's intervals of several units, e.g. `3 months 3 days 3 hours`, as [n, unit] parts. */
export function parseCompoundInterval(text: string): [number, StandardGranularity][] {
  if (!COMPOUND_RE.test(text)) throw new UserError(`Unsupported interval '${text}': expected 'N unit' parts such as '3 months 3 days'`);
  return [...text.matchAll(PART_RE)].map((m) => [Number(m[1]), m[2]!.toLowerCase() as StandardGranularity]);
}

// An interval's length as Postgres' EXTRACT(EPOCH FROM interval) counts it (30-day months,
// 365.25-day years): Cube's date_bin for intervals with months divides by it.
const EPOCH_SECONDS: Record<StandardGranularity, number> = {
  second: 1, minute: 60, hour: 3600, day: 86_400, week: 604_800, month: 2_592_000, quarter: 7_776_000, year: 31_557_600,
};
const CALENDAR_ORDER: StandardGranularity[] = ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'];

/**
 * Buckets of a compound interval: origin + k × interval, k × interval added field by field
 * (months, then days, then time) as Postgres adds intervals. k is first estimated as Cube's
 * Postgres date_bin does (seconds since origin / the interval's epoch length), then moved by one
 * where that estimate disagrees with the calendar (a bucket must start at or before its rows and
 * the next one after them), since 30-day months drift from real ones.
 */
function compoundBucket(ctx: RenderContext, local: string, parts: readonly [number, StandardGranularity][], origin: string): string {
  const seconds = parts.reduce((s, [n, u]) => s + n * EPOCH_SECONDS[u], 0);
  if (seconds <= 0) throw new UserError('A granularity interval must be positive');
  const k = `floor(${ctx.dialect.secondsBetween(origin, local)} / ${seconds})`;
  const start = (kk: string) => {
    let out = origin;
    for (const unit of CALENDAR_ORDER) {
      const n = parts.filter(([, u]) => u === unit).reduce((s, [v]) => s + v, 0);
      if (n) out = ctx.dialect.addUnits(out, `(${kk}) * ${n}`, unit);
    }
    return out;
  };
  const [prev, here, next] = [start(`${k} - 1`), start(k), start(`${k} + 1`)];
  return `CASE WHEN ${here} > ${local} THEN ${prev} WHEN ${next} <= ${local} THEN ${next} ELSE ${here} END`;
}

/** A time dimension's bucket start as local wall time in the query's time zone. */
export function timeDimensionSql(ctx: RenderContext, dim: Dimension, granularity: string): string {
  const local = ctx.dialect.convertTz(dimensionSql(ctx, dim), ctx.query.timezone);
  if ((GRANULARITIES as readonly string[]).includes(granularity)) return ctx.dialect.timeTrunc(granularity as StandardGranularity, local);
  const custom = dim.granularities.find((g) => g.name === granularity);
  if (!custom) throw new UserError(`Granularity '${granularity}' not found for time dimension '${dim.path}'`);
  if (custom.sql) return expandTemplate(ctx, custom.sql);
  if (!custom.interval) throw new UserError(`Granularity '${dim.path}.${granularity}' needs an interval or sql`);
  const parts = parseCompoundInterval(custom.interval);
  if (parts.length > 1) {
    return compoundBucket(ctx, local, parts, ctx.dialect.timestampParam(ctx.params.add(granularityOrigin(custom.origin, custom.offset))));
  }
  const [n, unit] = parseInterval(custom.interval);
  if (n === 1 && !custom.origin) {
    if (!custom.offset) return ctx.dialect.timeTrunc(unit, local);
    // Offset buckets, e.g. a fiscal year starting in April: shift back, truncate, shift forward.
    const [on, ounit] = parseInterval(custom.offset);
    return ctx.dialect.addInterval(ctx.dialect.timeTrunc(unit, ctx.dialect.addInterval(local, -on, ounit)), on, ounit);
  }
  if (n < 1) throw new UserError(`Granularity '${dim.path}.${granularity}': the interval must be positive`);
  return ctx.dialect.timeBucket(local, n, unit, ctx.dialect.timestampParam(ctx.params.add(granularityOrigin(custom.origin, custom.offset))));
}

/** Cube's origin for interval granularities: `origin`, else the start of the current year (+ offset). */
export function granularityOrigin(origin: string | undefined, offset: string | undefined, now = new Date()): string {
  if (origin) {
    const ms = parseLocal(origin);
    if (ms === null) throw new UserError(`Invalid granularity origin '${origin}'`);
    return formatLocal(ms);
  }
  let ms = Date.UTC(now.getUTCFullYear(), 0, 1);
  if (offset) { const [on, ounit] = parseInterval(offset); ms = add(ms, on, ounit); }
  return formatLocal(ms);
}

/** The value a measure aggregates over, with the measure's filters applied (Cube: CASE WHEN). */
export function measureInput(ctx: RenderContext, m: Measure, scope: ExpandScope = {}): string {
  let sql = m.sql ? expandTemplate(ctx, m.sql, scope) : '';
  if (m.type === 'count' && !m.sql) {
    const cube = ctx.model.cubes.get(m.cube);
    // Cube counts the primary key, so a LEFT JOINed cube with no matching row counts 0, not 1.
    sql = cube?.primaryKeys.length ? primaryKeySql(ctx, m.cube, scope) : (m.filters.length ? '1' : '*');
  }
  if (m.filters.length === 0) return sql;
  const conds = m.filters.map((f) => `(${expandTemplate(ctx, f, scope)})`).join(' AND ');
  return `CASE WHEN ${conds} THEN ${sql} END`;
}

export function primaryKeySql(ctx: RenderContext, cube: string, scope: ExpandScope = {}): string {
  const c = ctx.model.cubes.get(cube);
  const pk = c?.primaryKeys[0];
  const dim = pk ? c!.dimensions.get(pk) : undefined;
  if (!dim) throw new UserError(`primary key for '${cube}' is required when join is defined in order to make aggregates work properly`);
  return dimensionSql(ctx, dim, scope);
}

export function measureAggregate(ctx: RenderContext, m: Measure, scope: ExpandScope = {}): string {
  const ref = ctx.measureRefs?.get(m.path);
  if (ref) return ref;
  const input = measureInput(ctx, m, scope);
  switch (m.type) {
    case 'count':
      return ctx.multiplied.has(m.cube) && !m.sql ? `count(DISTINCT ${input})` : `count(${input})`;
    case 'countDistinct': return `count(DISTINCT ${input})`;
    case 'countDistinctApprox': return ctx.dialect.countDistinctApprox(input);
    case 'sum': case 'avg': case 'min': case 'max': return `${m.type}(${input})`;
    default: return input;
  }
}

