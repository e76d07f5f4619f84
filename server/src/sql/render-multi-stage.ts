// Multi-stage measures (`multi_stage: true`), as Cube's Tesseract planner computes them: each
// is a stage over an inner query of the measures its sql references, rendered at the stage's
// own grain and joined back to the query's rows on the dimensions they share.
//  - time_shift: the inner query reads the time dimension moved by the interval (a prior
//    period's rows land in this period's buckets); its date range pruning moves with it.
//  - group_by / reduce_by: the stage keeps only (or drops) those dimensions, so a measure over
//    it is a total at a coarser grain (percent of total); `{time.quarter}` coarsens a time bucket.
//  - add_group_by: the inner query is finer; the measure's type aggregates it to the stage grain.
//  - rolling_window: a time series joined to the inner query's buckets (running totals).
//  - type rank: rank() over the query's rows by order_by, partitioned by the dimensions group_by
//    keeps (or reduce_by leaves).
// The inner queries go through the caller's renderer, so stages nest (a stage over a stage).
import { UserError } from '../errors.ts';
import type { Dimension, Measure, MultiStageDimensionRef, SqlTemplate } from '../model/types.ts';
import { add } from '../query/date-math.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import { formatLocal, parseLocal } from '../query/time-zone.ts';
import { GRANULARITIES, isMemberFilter, type NormalizedFilter, type NormalizedQuery, type NormalizedTimeDimension, type StandardGranularity } from '../query/types.ts';
import { outputDimensions, type OutputColumn } from './render-clauses.ts';
import { memberAlias, type RenderContext } from './render-context.ts';
import { measureAggregate, measureInput, parseInterval } from './render-members.ts';
import { seriesSql, windowCondition } from './render-rolling.ts';

export interface StageSelect { readonly sql: string; readonly aliasToMember: Record<string, string> }
/** Renders a query without ORDER BY/LIMIT (render-query.ts's renderSelect, passed in: it imports this module). */
export type StageRenderer = (ctx: RenderContext, q: NormalizedQuery) => StageSelect;

interface QueryMeasure { readonly alias: string; readonly member: string; readonly measure: Measure }

const measureOf = (ctx: RenderContext, path: string): Measure | undefined => {
  const m = underlyingMember(ctx.model, resolveMember(ctx.model, path));
  return m.kind === 'measure' ? m : undefined;
};

export function isMultiStageMember(ctx: RenderContext, path: string): boolean {
  return !!measureOf(ctx, path)?.multiStage;
}

const filterMembers = (f: NormalizedFilter): string[] => (isMemberFilter(f) ? [f.member] : ('and' in f ? f.and : f.or).flatMap(filterMembers));

/** True when the query selects or filters on a multi-stage measure. */
export function usesMultiStage(ctx: RenderContext, q: NormalizedQuery): boolean {
  return [...q.measures, ...q.filters.flatMap(filterMembers)].some((p) => isMultiStageMember(ctx, p));
}

/** Measures a multi-stage measure's sql (and rank order) reference, as `Cube.member` paths. */
function referencedMeasures(ctx: RenderContext, m: Measure): string[] {
  const out = new Set<string>();
  const walk = (t: SqlTemplate | undefined) => {
    for (const p of t ?? []) {
      if (typeof p === 'string' || p.type !== 'member') continue;
      const found = ctx.model.members.get(`${p.cube}.${p.member}`);
      if (found && underlyingMember(ctx.model, found).kind === 'measure') out.add(`${p.cube}.${p.member}`);
    }
  };
  walk(m.sql);
  for (const f of m.filters) walk(f);
  for (const o of m.multiStage?.orderBy ?? []) walk(o.sql);
  return [...out];
}

const basePath = (ctx: RenderContext, member: string): string => underlyingMember(ctx.model, resolveMember(ctx.model, member)).path;

/** A query dimension's member without granularity, and its granularity if a time bucket. */
function splitDim(q: NormalizedQuery, d: OutputColumn): { member: string; granularity?: string } {
  const td = q.timeDimensions.find((t) => t.granularity && `${t.dimension}.${t.granularity}` === d.member);
  return td ? { member: td.dimension, granularity: td.granularity } : { member: d.member };
}

interface StagePlan {
  /** Output dimensions the stage keeps, with the granularity it groups a time bucket by when coarser. */
  readonly keep: readonly { readonly dim: OutputColumn; readonly coarser?: StandardGranularity }[];
  readonly query: NormalizedQuery;
}

/** The inner query of a stage: the referenced measures by the stage's dimensions. */
function planStage(ctx: RenderContext, q: NormalizedQuery, dims: readonly OutputColumn[], m: Measure, measures: readonly string[]): StagePlan {
  const ms = m.multiStage!;
  const matches = (refs: readonly MultiStageDimensionRef[] | undefined, member: string) =>
    refs?.find((r) => r.member === basePath(ctx, member));
  const keep: { dim: OutputColumn; coarser?: StandardGranularity }[] = [];
  const timeDims: NormalizedTimeDimension[] = [];
  const dimensions: string[] = [];
  for (const d of dims) {
    const { member, granularity } = splitDim(q, d);
    const inGroupBy = matches(ms.groupBy, member);
    const kept = ms.groupBy ? !!inGroupBy : ms.reduceBy ? !matches(ms.reduceBy, member) : true;
    if (!kept) continue;
    let coarser: StandardGranularity | undefined;
    if (inGroupBy?.granularity && granularity && inGroupBy.granularity !== granularity) {
      if (!GRANULARITIES.includes(inGroupBy.granularity as StandardGranularity)) {
        throw new UserError(`Measure '${m.path}': group_by granularity '${inGroupBy.granularity}' must be a standard one`);
      }
      coarser = inGroupBy.granularity as StandardGranularity;
    }
    keep.push({ dim: d, ...(coarser ? { coarser } : {}) });
    if (granularity) timeDims.push({ dimension: member, granularity: coarser ?? granularity });
    else dimensions.push(d.member);
  }
  for (const r of ms.addGroupBy ?? []) {
    if (r.granularity) timeDims.push({ dimension: r.member, granularity: r.granularity });
    else if (!dimensions.includes(r.member)) dimensions.push(r.member);
  }
  // Date ranges still bound the rows; a bucket the stage does not group by is only a filter.
  for (const t of q.timeDimensions) if (t.dateRange) timeDims.push({ dimension: t.dimension, dateRange: t.dateRange });
  const query: NormalizedQuery = {
    ...q, measures, dimensions, timeDimensions: timeDims, order: [], limit: Infinity, offset: undefined, total: false,
    filters: q.filters.filter((f) => !filterReferencesMeasures(ctx, f)),
  };
  return { keep, query };
}

function filterReferencesMeasures(ctx: RenderContext, f: NormalizedFilter): boolean {
  if (isMemberFilter(f)) return !!measureOf(ctx, f.member);
  return ('and' in f ? f.and : f.or).some((x) => filterReferencesMeasures(ctx, x));
}

/** The context of a time-shifted stage: the dimension's SQL moved, FILTER_PARAMS seeing the moved range. */
function shiftedContext(ctx: RenderContext, q: NormalizedQuery, m: Measure): RenderContext {
  const shifts = m.multiStage?.timeShift ?? [];
  if (!shifts.length) return ctx;
  const map = new Map(ctx.timeShifts ?? []);
  let filterQuery = ctx.query;
  for (const s of shifts) {
    if (!s.interval) throw new UserError(`Measure '${m.path}': named time shifts ('${s.name}') need a calendar cube, not supported yet`);
    const [n, unit] = parseInterval(s.interval);
    // A prior period's rows are read forward into this period's buckets.
    const by = s.type === 'next' ? -n : n;
    const targets = s.timeDimension ? [s.timeDimension] : [...new Set(q.timeDimensions.map((t) => basePath(ctx, t.dimension)))];
    if (!targets.length) throw new UserError(`Measure '${m.path}' has a time_shift without time_dimension: the query needs a time dimension`);
    for (const t of targets) map.set(t, [...(map.get(t) ?? []), [by, unit] as const]);
    const move = <T extends string | null>(v: T): T => { const ms = v === null ? null : parseLocal(v); return (ms === null ? v : formatLocal(add(ms, -by, unit))) as T; };
    filterQuery = {
      ...filterQuery,
      timeDimensions: filterQuery.timeDimensions.map((t) => (t.dateRange && targets.includes(basePath(ctx, t.dimension))
        ? { ...t, dateRange: [move(t.dateRange[0]), move(t.dateRange[1])] as const } : t)),
      filters: filterQuery.filters.map(function shift(f): NormalizedFilter {
        if (!isMemberFilter(f)) return 'and' in f ? { and: f.and.map(shift) } : { or: f.or.map(shift) };
        return targets.includes(basePath(ctx, f.member)) && /DateRange|onTheDate|beforeDate|afterDate/.test(f.operator)
          ? { ...f, values: f.values.map(move) } : f;
      }),
    };
  }
  return { ...ctx, timeShifts: map, query: filterQuery };
}

const AGGREGATES = new Set(['sum', 'avg', 'min', 'max', 'count', 'countDistinct', 'countDistinctApprox']);

/** One multi-stage measure's stage: its kept dimensions (aliases as in the query) and its value. */
function renderStage(ctx: RenderContext, q: NormalizedQuery, dims: readonly OutputColumn[], qm: QueryMeasure, render: StageRenderer): { sql: string; plan: StagePlan } {
  const m = qm.measure;
  const qi = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const refs = referencedMeasures(ctx, m);
  if (!refs.length) throw new UserError(`Multi-stage measure '${m.path}' must reference other measures in its sql`);
  // A rank is computed on the query's own rows; group_by/reduce_by only choose its partition.
  const rank = m.type === 'rank';
  const plan = planStage(ctx, q, dims, rank ? { ...m, multiStage: { timeShift: m.multiStage!.timeShift } } : m, refs);
  const rolling = m.rollingWindow;
  const td = rolling ? (q.timeDimensions.find((t) => t.granularity) ?? q.timeDimensions.find((t) => t.dateRange)) : undefined;
  if (rolling && !td?.dateRange) throw new UserError(`Measure '${m.path}' has a rolling_window: the query needs a time dimension with a dateRange`);
  // A window reaches before (and after) the range: the inner query reads all of the time dimension.
  const innerQuery = rolling ? { ...plan.query, timeDimensions: plan.query.timeDimensions.filter((t) => !(t.dateRange && t.dimension === td!.dimension)) } : plan.query;
  const inner = render(shiftedContext(ctx, q, m), innerQuery);
  const innerAlias = qi('ms_inner');
  const col = (alias: string) => `${innerAlias}.${qi(alias)}`;
  const refCtx: RenderContext = { ...ctx, multiplied: new Set(), measureRefs: new Map(refs.map((r) => [r, col(memberAlias(r))])) };
  const keptAliases = plan.keep.map((k) => (k.coarser ? memberAlias(splitDim(q, k.dim).member, k.coarser) : k.dim.alias));

  if (rank) {
    const partition = planStage(ctx, q, dims, m, refs).keep.map((k) => col(k.dim.alias));
    const order = m.multiStage!.orderBy!.map((o) => `${measureInput(refCtx, { ...m, type: 'number', sql: o.sql, filters: [] })} ${o.desc ? 'DESC' : 'ASC'}`);
    const over = `${partition.length ? `PARTITION BY ${partition.join(', ')} ` : ''}ORDER BY ${order.join(', ')}`;
    const cols = [...keptAliases.map((a) => `${col(a)} ${qi(a)}`), `rank() OVER (${over}) ${qi(qm.alias)}`];
    return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM (\n${inner.sql}\n) AS ${innerAlias}`, plan };
  }
  const value = AGGREGATES.has(m.type) ? measureAggregate(refCtx, { ...m, multiStage: undefined }) : measureInput(refCtx, m);
  if (rolling) {
    const dim = underlyingMember(ctx.model, resolveMember(ctx.model, td!.dimension)) as Dimension;
    const tdMember = td!.granularity ? `${td!.dimension}.${td!.granularity}` : undefined;
    const series = seriesSql(ctx, td!.dateRange!, td!.granularity, dim);
    const tAlias = tdMember ? memberAlias(td!.dimension, td!.granularity) : undefined;
    if (!tAlias) throw new UserError(`Multi-stage rolling measure '${m.path}' needs the time dimension with a granularity`);
    const on = windowCondition(ctx, m, col(tAlias), `${qi('series')}.${qi('date_from')}`, `${qi('series')}.${qi('date_to')}`);
    const others = plan.keep.filter((k) => k.dim.member !== tdMember);
    const cols = [
      ...plan.keep.map((k, i) => (k.dim.member === tdMember ? `${qi('series')}.${qi('date_from')} ${qi(keptAliases[i])}` : `${col(keptAliases[i])} ${qi(keptAliases[i])}`)),
      `${AGGREGATES.has(m.type) ? value : `max(${value})`} ${qi(qm.alias)}`,
    ];
    const groupBy = plan.keep.length ? `\nGROUP BY ${plan.keep.map((_, i) => i + 1).join(', ')}` : '';
    return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM (\n${series}\n) AS ${qi('series')}\n${others.length ? 'INNER' : 'LEFT'} JOIN (\n${inner.sql}\n) AS ${innerAlias} ON ${on}${groupBy}`, plan };
  }
  const cols = [...keptAliases.map((a) => `${col(a)} ${qi(a)}`), `${value} ${qi(qm.alias)}`];
  const grouped = AGGREGATES.has(m.type) && keptAliases.length ? `\nGROUP BY ${keptAliases.map((_, i) => i + 1).join(', ')}` : '';
  return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM (\n${inner.sql}\n) AS ${innerAlias}${grouped}`, plan };
}

/**
 * The query's rows (its dimensions and plain measures, or the first stage at the query's full
 * grain when there are no plain measures, as Cube answers a lone time-shifted measure only for
 * the buckets its shifted rows fill), each stage LEFT JOINed on the dimensions it keeps.
 */
export function renderMultiStageSelect(ctx: RenderContext, q: NormalizedQuery, render: StageRenderer): StageSelect {
  const qi = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const dims = outputDimensions(ctx, q);
  const measures: QueryMeasure[] = q.measures.map((p) => ({ alias: memberAlias(p), member: p, measure: measureOf(ctx, p)! }));
  const stagedFilter = q.filters.flatMap(filterMembers).find((p) => isMultiStageMember(ctx, p));
  if (stagedFilter) throw new UserError(`Filtering on the multi-stage measure '${stagedFilter}' is not supported yet`);
  const staged = measures.filter((m) => m.measure.multiStage);
  const plain = measures.filter((m) => !m.measure.multiStage);
  const stages = staged.map((m) => ({ m, ...renderStage(ctx, q, dims, m, render) }));
  const fullGrain = stages.find((s) => s.plan.keep.length === dims.length && s.plan.keep.every((k) => !k.coarser));
  const useBase = plain.length > 0 || !fullGrain;
  if (useBase && !plain.length && !dims.length) throw new UserError('A query of multi-stage measures needs a dimension or a measure at its own grain');
  const base = useBase ? render(ctx, { ...q, measures: plain.map((m) => m.member), order: [], limit: Infinity, offset: undefined, total: false }).sql : fullGrain!.sql;
  const joined = useBase ? stages : stages.filter((s) => s !== fullGrain);
  const g = (i: number, alias: string) => `${qi(`q_${i}`)}.${qi(alias)}`;
  let from = `(\n${base}\n) AS ${qi('q_0')}`;
  const refs = new Map<string, string>();
  if (!useBase) refs.set(fullGrain!.m.member, g(0, fullGrain!.m.alias));
  for (const m of plain) refs.set(m.member, g(0, m.alias));
  joined.forEach((s, i) => {
    const n = i + 1;
    const on = s.plan.keep.map((k) => {
      if (!k.coarser) return ctx.dialect.nullSafeEquals(g(0, k.dim.alias), g(n, k.dim.alias));
      return ctx.dialect.nullSafeEquals(ctx.dialect.timeTrunc(k.coarser, g(0, k.dim.alias)), g(n, memberAlias(splitDim(q, k.dim).member, k.coarser)));
    });
    from += `\nLEFT JOIN (\n${s.sql}\n) AS ${qi(`q_${n}`)} ON ${on.length ? on.join(' AND ') : '1 = 1'}`;
    refs.set(s.m.member, g(n, s.m.alias));
  });
  const aliasToMember: Record<string, string> = {};
  for (const c of [...dims, ...measures]) aliasToMember[c.alias] = c.member;
  const cols = [...dims.map((d) => `${g(0, d.alias)} ${qi(d.alias)}`), ...measures.map((m) => `${refs.get(m.member)} ${qi(m.alias)}`)];
  return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${from}`, aliasToMember };
}
