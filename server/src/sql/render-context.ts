// Per-render state shared by the SQL modules: the model, the dialect, the bound parameters,
// the query (for FILTER_PARAMS and its time zone), the security context, and the renderers that
// template expansion recurses into (wired by create-render-context.ts, the top of sql/'s tree).
import type { CompiledModel, Dimension, FilterParamsPart, Measure } from '../model/types.ts';
import type { NormalizedQuery, StandardGranularity } from '../query/types.ts';
import type { Dialect } from './dialect.ts';
import type { Params } from './params.ts';
import type { BindsValues } from '../planner/types.ts';

export interface ExpandScope {
  /** Values for filterArg parts inside a FILTER_PARAMS / SECURITY_CONTEXT callback. */
  readonly args?: readonly string[];
  /** Guards recursive member references. */
  readonly depth?: number;
  /** Rendering the inside of a sub_query dimension's own sub-select. */
  readonly inSubQuery?: boolean;
}

/**
 * Renderers that sit above expand-template.ts in the import tree but that a template recurses
 * into (`{CUBE.member}`, FILTER_PARAMS, a sub_query dimension): they travel in the context, so
 * no module below imports one above it.
 */
export interface TemplateRenderers {
  /** A dimension's SQL (render-members.ts). */
  readonly dimension: (ctx: RenderContext, dim: Dimension, scope?: ExpandScope) => string;
  /** A measure's aggregate, for measures referenced from calculated measures (render-members.ts). */
  readonly measure: (ctx: RenderContext, m: Measure, scope?: ExpandScope) => string;
  /** FILTER_PARAMS.cube.member.filter(...) (render-filter-params.ts). */
  readonly filterParams: (ctx: RenderContext, part: FilterParamsPart, scope: ExpandScope) => string;
  /** `{time_dim.granularity}`: a time dimension at a granularity (render-members.ts). */
  readonly timeDimension: (ctx: RenderContext, dim: Dimension, granularity: string) => string;
  /** A sub_query dimension: the column of its LEFT JOINed sub-select (render-sub-query.ts). */
  readonly subQueryDimension: (ctx: RenderContext, dim: Dimension) => string;
}

export interface RenderContext {
  readonly renderers: TemplateRenderers;
  readonly model: CompiledModel;
  readonly dialect: Dialect;
  readonly params: Params;
  readonly query: NormalizedQuery;
  readonly securityContext: Readonly<Record<string, unknown>>;
  /** Cubes that are multiplied in this query's join tree (count → count(distinct pk)). */
  readonly multiplied: ReadonlySet<string>;
  /** Overrides a cube's FROM alias (e.g. inside a keys sub-query). */
  readonly aliasOverride?: ReadonlyMap<string, string>;
  /** In an outer query over measure-group sub-queries: query member → its column there. */
  readonly measureRefs?: ReadonlyMap<string, string>;
  /** sub_query dimensions used so far: alias → LEFT JOIN clause, appended to the FROM clause. */
  readonly subQueries: Map<string, string>;
  /** Cube → FROM expression replacing its SQL (a built original_sql pre-aggregation). */
  readonly cubeSources?: ReadonlyMap<string, CubeSource>;
  /**
   * Inside a multi-stage time_shift stage: time dimension path → the intervals its SQL is moved by
   * (a prior year's rows read as this year's), as Cube's Tesseract shifts the dimension itself.
   */
  readonly timeShifts?: ReadonlyMap<string, readonly (readonly [number, StandardGranularity])[]>;
}

/**
 * What replaces a cube's SQL: a FROM expression over its built original_sql partitions, or those
 * plus the cube's own rows from where the built ones are stale (`sourceRows` renders that
 * SELECT, binding its values in the given Params).
 */
export type CubeSource = string | { readonly from: string; readonly sourceRows: (params: BindsValues) => string };

/** Cube's `underscore`: camelCase → snake_case, as used for SQL aliases. */
const underscored = new Map<string, string>();
export function underscore(name: string): string {
  let u = underscored.get(name);
  if (u === undefined) { u = toSnake(name); if (underscored.size < 100_000) underscored.set(name, u); }
  return u;
}

function toSnake(name: string): string {
  return name.replace(/([a-z\d])([A-Z])/g, '$1_$2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2').toLowerCase();
}

export function cubeAlias(ctx: RenderContext, cube: string): string {
  const override = ctx.aliasOverride?.get(cube);
  if (override) return override;
  const c = ctx.model.cubes.get(cube);
  return ctx.dialect.quoteIdentifier(c?.sqlAlias ?? underscore(cube));
}

/** Column alias of a member in the result: `orders__created_at[_day]`. */
export function memberAlias(path: string, granularity?: string): string {
  const [cube, member] = path.split('.');
  return `${underscore(cube)}__${underscore(member)}${granularity ? `_${granularity}` : ''}`;
}
