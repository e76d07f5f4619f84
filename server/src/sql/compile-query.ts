// Top-level compile: normalised query + model → plan (joins, pre-aggregation match) → SQL and
// bound params for one dialect, with Cube's annotation, the alias → member map, and which
// pre-aggregation (if any) served it. Lives above query/ and planner/, whose stages it runs.
import { UserError } from '../errors.ts';
import type { CompiledModel } from '../model/types.ts';
import { collectCubes } from '../planner/collect-cubes.ts';
import { planJoins } from '../planner/plan-joins.ts';
import type { PreAggMatch, PreAggMatcher } from '../planner/types.ts';
import { buildAnnotation, type Annotation } from '../query/annotation.ts';
import { isMemberFilter, type NormalizedFilter, type NormalizedQuery } from '../query/types.ts';
import { createRenderContext } from './create-render-context.ts';
import type { Dialect } from './dialect.ts';
import { getDialect } from './get-dialect.ts';
import type { CubeSource, RenderContext } from './render-context.ts';
import { renderPreAggQuery } from './render-pre-agg.ts';
import { renderSelect } from './render-query.ts';

export interface CompileOptions {
  readonly dialect: string | Dialect;
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly preAggregations?: PreAggMatcher<CompiledModel>;
}

export interface CompiledQuery {
  readonly sql: string;
  readonly params: unknown[];
  readonly annotation: Annotation;
  /** Result column alias → `Cube.member` (time dimensions: `Cube.member.granularity`). */
  readonly aliasToMember: Readonly<Record<string, string>>;
  /** `{ 'Cube.preAgg': { targetTableName, type } }`, empty when the source served it. */
  readonly usedPreAggregations: Readonly<Record<string, { targetTableName: string; type: string }>>;
  /** For `total: true`: the row count of the query without limit/offset, column `total_count`. */
  readonly totalQuery?: { readonly sql: string; readonly params: unknown[] };
  readonly dialect: string;
  /**
   * Every table the SQL reads is a built pre-aggregation (a rollup's partitions and lambda tail,
   * or each cube's original_sql partitions). Their names change with every build, so the same
   * SQL always reads the same rows: its result stays valid for as long as it is cached.
   */
  readonly readsOnlyPreAggregations: boolean;
}

function filterMembers(filters: readonly NormalizedFilter[]): string[] {
  return filters.flatMap((f) => (isMemberFilter(f) ? [f.member] : filterMembers('and' in f ? f.and : f.or)));
}

function context(model: CompiledModel, q: NormalizedQuery, dialect: Dialect, securityContext: Readonly<Record<string, unknown>>, multiplied: ReadonlySet<string>): RenderContext {
  return createRenderContext({ model, dialect, query: q, securityContext, multiplied });
}

export function compileQuery(model: CompiledModel, q: NormalizedQuery, opts: CompileOptions): CompiledQuery {
  if (q.queryType === 'compareDateRangeQuery') {
    throw new UserError('compareDateRange queries run as one query per range: split them with expandCompareDateRange() first');
  }
  const securityContext = opts.securityContext ?? {};
  const match: PreAggMatch | null = opts.preAggregations?.match(q, model) ?? null;
  const dialect = getDialect(match?.dialect ?? opts.dialect);
  const annotation = buildAnnotation(model, q);

  if (match) {
    const ctx = context(model, q, dialect, securityContext, new Set());
    const rendered = renderPreAggQuery(ctx, q, match, true);
    const { sql, params } = ctx.params.finalize(rendered.sql, (n) => dialect.placeholder(n));
    return {
      sql, params, annotation, aliasToMember: rendered.aliasToMember, dialect: dialect.name, readsOnlyPreAggregations: true,
      usedPreAggregations: { [match.preAggregation]: { targetTableName: match.targetTableName ?? match.tables[0], type: match.type ?? 'rollup' } },
      ...(q.total ? { totalQuery: total(dialect, (c) => renderPreAggQuery(c, q, match, false).sql, model, q, securityContext, new Set()) } : {}),
    };
  }

  const members = [...q.measures, ...q.dimensions, ...q.segments, ...q.timeDimensions.map((t) => t.dimension), ...filterMembers(q.filters)];
  const { cubes } = collectCubes(model, members);
  const plan = planJoins(model, cubes, q.joinHints ?? []);
  // Cube reads a cube's built original_sql pre-aggregation instead of its SQL when no rollup serves the query.
  const cubeSources = new Map<string, CubeSource>();
  const usedPreAggregations: Record<string, { targetTableName: string; type: string }> = {};
  // A time-shifted or windowed stage reads rows outside the query's range, which a range-partitioned
  // original_sql build chosen for that range may not hold.
  const readsOutsideRange = q.measures.some((p) => {
    const m = model.members.get(p);
    return m?.kind === 'measure' && !!m.multiStage && (m.multiStage.timeShift.length > 0 || !!m.rollingWindow);
  });
  for (const cube of readsOutsideRange ? [] : [plan.root, ...plan.joins.map((j) => j.to)]) {
    const o = opts.preAggregations?.originalSql?.(cube, q, model);
    if (!o) continue;
    cubeSources.set(cube, o.sourceRows ? { from: o.from, sourceRows: o.sourceRows } : o.from);
    usedPreAggregations[o.preAggregation] = { targetTableName: o.targetTableName, type: 'originalSql' };
  }
  const ctx = { ...context(model, q, dialect, securityContext, plan.multiplied), cubeSources };
  const rendered = renderSelect(ctx, plan, q, true);
  const { sql, params } = ctx.params.finalize(rendered.sql, (n) => dialect.placeholder(n));
  const planned = [plan.root, ...plan.joins.map((j) => j.to)];
  return {
    sql, params, annotation, aliasToMember: rendered.aliasToMember, usedPreAggregations, dialect: dialect.name,
    // A cube read partly from its own SQL (days newer than its build) reads the live source.
    readsOnlyPreAggregations: planned.every((c) => { const s = cubeSources.get(c); return s !== undefined && typeof s === 'string'; })
      && !members.some((p) => readsLive(model, p)),
    ...(q.total ? { totalQuery: total(dialect, (c) => renderSelect({ ...c, cubeSources }, plan, q, false).sql, model, q, securityContext, plan.multiplied) } : {}),
  };
}

/** Sub-query and multi-stage members render SQL of their own, which may read the source. */
function readsLive(model: CompiledModel, path: string): boolean {
  const m = model.members.get(path);
  if (m?.kind === 'dimension') return m.subQuery || !!m.multiStage;
  return m?.kind === 'measure' && !!m.multiStage;
}

function total(dialect: Dialect, render: (ctx: RenderContext) => string, model: CompiledModel, q: NormalizedQuery,
  securityContext: Readonly<Record<string, unknown>>, multiplied: ReadonlySet<string>): { sql: string; params: unknown[] } {
  const ctx = context(model, q, dialect, securityContext, multiplied);
  const inner = render(ctx);
  return ctx.params.finalize(`SELECT count(*) ${dialect.quoteIdentifier('total_count')} FROM (\n${inner}\n) ${dialect.quoteIdentifier('original_query')}`, (n) => dialect.placeholder(n));
}
