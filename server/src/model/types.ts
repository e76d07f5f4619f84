// Typed, frozen shape of a compiled Cube data model: the contract between model/, query/,
// planner/, sql/ and preagg/. Names follow Cube's camelCase internals (CubeEvaluator).
//
// SQL snippets are kept as SqlTemplate values, never as pre-rendered strings, because the same
// model renders per query (cube aliases, FILTER_PARAMS, SECURITY_CONTEXT) and per dialect.
// A template is a list of literal SQL strings and placeholders; expand it with
// `renderTemplate(template, resolver)` from ./render-template.ts.
//  - { type: 'cube', cube }                 `{CUBE}`, `${CUBE}`, `{users}`, `${users}`: the alias
//                                           of that cube in the FROM clause (adds it to the join).
//  - { type: 'member', cube, member }       `{CUBE.m}`, `{m}`, `${users.city}`: that member's own
//                                           SQL, expanded recursively by the renderer (a measure
//                                           referenced from a `number` measure means its aggregate).
//  - { type: 'filterParams', cube, member, column | callback }
//                                           `FILTER_PARAMS.cube.member.filter('col' | fn)`: the
//                                           query's filters on that member applied to `column`, or
//                                           `callback` rendered with filterArg i = i-th filter
//                                           parameter (from/to for date ranges); `1 = 1` if none.
//                                           With `dtFilter` (webcube's own
//                                           `FILTER_PARAMS.cube.time.dtFilter('dt')`), `column` is a
//                                           Hive dt=YYYY-MM-DD partition column to prune instead.
//  - { type: 'filterArg', index }           only inside a filterParams/securityContext callback.
//  - { type: 'securityContext', path, mode, column? }
//                                           `SECURITY_CONTEXT.a.b` (mode 'param': value as a bound
//                                           parameter), `.unsafeValue()` ('unsafe': inlined),
//                                           `.filter('col')` ('filter': `col = $x`/`col IN (...)`,
//                                           `1 = 1` when absent), `.requiredFilter('col')`
//                                           ('requiredFilter': error when absent).
//  - { type: 'compileContext', path }       `COMPILE_CONTEXT.a.b`: inlined value (trusted, like Cube).
//  - { type: 'convertTz', sql }             `SQL_UTILS.convertTz(sql)`: the dialect's UTC → query
//                                           time zone conversion.
// `{EVENTS_TABLE}` (webcube's own) is no part: the compiler writes the configured events table
// (WEBCUBE_EVENTS_TABLE, default atomic.events) in its place, as plain SQL text.
// A member's sql that is a bare identifier (`sql: status`) is stored as [{cube}, '.status'],
// matching Cube's autoPrefixWithCubeName.

export type SqlTemplate = readonly SqlPart[];

export type SqlPart =
  | string
  | CubeRefPart
  | MemberRefPart
  | FilterParamsPart
  | FilterArgPart
  | SecurityContextPart
  | CompileContextPart
  | ConvertTzPart
  | FilterGroupPart;

export interface CubeRefPart { readonly type: 'cube'; readonly cube: string }
export interface MemberRefPart {
  readonly type: 'member';
  readonly cube: string;
  readonly member: string;
  /** `{CUBE.created_at.month}`: the time dimension at that granularity, in the query's time zone. */
  readonly granularity?: string;
}
export interface FilterParamsPart {
  readonly type: 'filterParams';
  readonly cube: string;
  readonly member: string;
  /** Column SQL the query's filter condition is applied to (`.filter('dt')`). */
  readonly column?: SqlTemplate;
  /** Body of a `.filter((from, to) => ...)` / `lambda x, y: f'...'` callback, with filterArg parts. */
  readonly callback?: SqlTemplate;
  /**
   * `.dtFilter('e.dt')`: `column` holds the UTC day of collector_tstamp as `YYYY-MM-DD` (the
   * collector's dt partitions); keep the days that can hold the queried range of the member.
   */
  readonly dtFilter?: boolean;
}
export interface FilterArgPart { readonly type: 'filterArg'; readonly index: number }
export interface SecurityContextPart {
  readonly type: 'securityContext';
  readonly path: readonly string[];
  readonly mode: 'param' | 'unsafe' | 'filter' | 'requiredFilter';
  /** For filter/requiredFilter: the column (or a callback body with filterArg 0 = the value). */
  readonly column?: SqlTemplate;
  /**
   * For filter/requiredFilter with a JS callback (`.filter((apps) => ...)`): called per query,
   * as Cube does, with the value's bound-parameter placeholder, or the array of placeholders when
   * the value is an array; returns the SQL it builds from them. Never called when the key is absent.
   */
  readonly callback?: (values: string | readonly string[]) => SqlTemplate;
}
export interface CompileContextPart { readonly type: 'compileContext'; readonly path: readonly string[] }
/**
 * `FILTER_GROUP(FILTER_PARAMS.a.x.filter(...), FILTER_PARAMS.b.y.filter(...))`: the listed
 * FILTER_PARAMS rendered together. webcube pushes down only filters every row must pass (ANDed),
 * so a group renders as `(p1) AND (p2)`, each `1 = 1` when the query has none or ORs them.
 */
export interface FilterGroupPart { readonly type: 'filterGroup'; readonly filters: readonly FilterParamsPart[] }
export interface ConvertTzPart { readonly type: 'convertTz'; readonly sql: SqlTemplate }

/** Where a definition came from, for error messages and dev tooling. line is 1-based. */
export interface SourceLocation { readonly file: string; readonly line: number }

export interface ModelError {
  /** Path of the model file relative to the schema root (or as given). */
  readonly file: string;
  /** 1-based line, 0 when unknown. */
  readonly line: number;
  /** Member path such as `orders.measures.count`, or the cube name, or '' for a file error. */
  readonly path: string;
  readonly message: string;
}

export type MeasureType =
  | 'count' | 'countDistinct' | 'countDistinctApprox' | 'sum' | 'avg' | 'min' | 'max'
  | 'number' | 'string' | 'time' | 'boolean' | 'rank';
export type DimensionType = 'string' | 'number' | 'time' | 'boolean' | 'geo';
export type Relationship = 'belongsTo' | 'hasMany' | 'hasOne';
export type Granularity = 'second' | 'minute' | 'hour' | 'day' | 'week' | 'month' | 'quarter' | 'year';

/**
 * `format` as written (image_url camelized): a name such as percent, currency, number, imageUrl,
 * link, id, a named numeric format (number_2, abbr...) or a d3-format specifier; or an object.
 * toMeta() converts it the way Cube's CubeToMetaTransformer does.
 */
export type MemberFormat =
  | string
  | { readonly type: 'link'; readonly label: string }
  | { readonly type: 'custom-numeric' | 'custom-time'; readonly value: string };

interface MemberBase {
  /** Name inside its cube, e.g. `count`. */
  readonly name: string;
  /** Owning cube or view name. */
  readonly cube: string;
  /** `cube.name`, the id used in queries. */
  readonly path: string;
  /** Explicit title only; toMeta() derives Cube's defaults. */
  readonly title?: string;
  readonly description?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  /** `public` (or deprecated `shown`); false hides it from /meta and queries from outside. */
  readonly public: boolean;
  readonly location: SourceLocation;
  /**
   * Set on members of views: the cube member this one proxies and the join path to reach it.
   * Compile queries against the original member (with the path as join hint); the view
   * member's own sql ({type:'member'} pointing at the original) is informational.
   */
  readonly aliasOf?: ViewMemberSource;
  /** ISO 4217 code for currency formats (Cube ≥ 1.6). */
  readonly currency?: string;
}

export interface ViewMemberSource {
  /** Full path of the original member, e.g. `users.city`. */
  readonly member: string;
  /** Cube names from the view's join_path root to the member's cube, e.g. ['orders', 'users']. */
  readonly joinPath: readonly string[];
}

/** `rolling_window`: trailing/leading interval ("7 day", "unbounded") or a to_date window. */
export interface RollingWindow {
  readonly trailing?: string;
  readonly leading?: string;
  readonly offset?: 'start' | 'end';
  readonly type?: 'fixed' | 'year_to_date' | 'quarter_to_date' | 'month_to_date' | 'to_date';
  readonly granularity?: string;
}

/**
 * One `time_shift` entry of a multi-stage measure (Cube ≥ 1.0): the measure is computed for the
 * query's time range moved by `interval` (`type` prior = back in time, next = forward), or by the
 * named shift `name` of a calendar cube's time dimension (see DimensionTimeShift).
 */
export interface MeasureTimeShift {
  /** Full path of the time dimension shifted; absent: the query's (only) time dimension. */
  readonly timeDimension?: string;
  /** As written, e.g. '1 month'; absent for a named shift. */
  readonly interval?: string;
  readonly type?: 'prior' | 'next';
  /** Named shift of a calendar cube's time dimension (`time_shift: [{name: retail_prev_year}]`). */
  readonly name?: string;
}

/**
 * `case: {switch: "{CUBE.source}", when: [{value, sql}], else: {sql}}`: the member's sql is the
 * `sql` of the `when` whose value equals the switch dimension's value (a `type: switch`
 * dimension), else `else.sql`. Used by multi-stage and view-own members (Cube ≥ 1.3).
 */
export interface SwitchCase {
  /** Full path of the switch dimension, e.g. `SwitchSourceTest.source`. */
  readonly switch: string;
  readonly when: readonly { readonly value: string; readonly sql: SqlTemplate }[];
  readonly else?: { readonly sql: SqlTemplate };
}

/**
 * A `group_by` / `reduce_by` / `add_group_by` entry of a multi-stage measure: a full member path,
 * with the granularity when written as `{time_dim.quarter}`.
 */
export interface MultiStageDimensionRef { readonly member: string; readonly granularity?: string }

/**
 * Properties of a `multi_stage: true` measure (or view-own/switch member), as the compiler
 * accepts them; the planner decides how to render them. Present on every member with
 * `multi_stage: true`; absent otherwise.
 */
export interface MultiStage {
  readonly timeShift: readonly MeasureTimeShift[];
  /** Only these dimensions of the query partition the inner stage (`group_by`). */
  readonly groupBy?: readonly MultiStageDimensionRef[];
  /** The query's dimensions minus these partition the inner stage (`reduce_by`). */
  readonly reduceBy?: readonly MultiStageDimensionRef[];
  /** The query's dimensions plus these partition the inner stage (`add_group_by`). */
  readonly addGroupBy?: readonly MultiStageDimensionRef[];
  /** `order_by` of a `type: rank` measure: what it ranks by. */
  readonly orderBy?: readonly { readonly sql: SqlTemplate; readonly desc: boolean }[];
}

export interface Measure extends MemberBase {
  readonly kind: 'measure';
  readonly type: MeasureType;
  /** Absent for `count` without sql (count(*) / count(distinct pk) when multiplied). */
  readonly sql?: SqlTemplate;
  /** Each rendered as `CASE WHEN (f1) AND (f2) THEN sql END` inside the aggregate. */
  readonly filters: readonly SqlTemplate[];
  readonly rollingWindow?: RollingWindow;
  readonly cumulative: boolean;
  readonly format?: MemberFormat;
  /** Full member paths. */
  readonly drillMembers: readonly string[];
  /** Set when `multi_stage: true`. */
  readonly multiStage?: MultiStage;
  /** `case` with `switch` (then `sql` is absent). */
  readonly switchCase?: SwitchCase;
}

export interface CaseWhen { readonly sql: SqlTemplate; readonly label: string | { readonly sql: SqlTemplate } }
export interface DimensionCase {
  readonly when: readonly CaseWhen[];
  readonly else?: { readonly label: string | { readonly sql: SqlTemplate } };
}

/** A custom time granularity: interval-based (+ offset/origin) or SQL-based. */
export interface CustomGranularity {
  readonly name: string;
  readonly title?: string;
  readonly interval?: string;
  readonly offset?: string;
  readonly origin?: string;
  readonly sql?: SqlTemplate;
}

/**
 * One `time_shift` entry of a calendar cube's time dimension: the SQL giving the shifted date
 * for a shift of `interval`/`type`, or for the shift called `name` (referenced by measures).
 */
export interface DimensionTimeShift {
  readonly name?: string;
  readonly interval?: string;
  readonly type?: 'prior' | 'next';
  readonly sql?: SqlTemplate;
}

export interface Dimension extends MemberBase {
  readonly kind: 'dimension';
  /** `type: switch` compiles to 'string' with `switchValues`. */
  readonly type: DimensionType;
  /** Absent for `case` and geo dimensions. */
  readonly sql?: SqlTemplate;
  readonly case?: DimensionCase;
  readonly latitude?: SqlTemplate;
  readonly longitude?: SqlTemplate;
  readonly primaryKey: boolean;
  readonly subQuery: boolean;
  readonly propagateFiltersToSubQuery: boolean;
  readonly granularities: readonly CustomGranularity[];
  readonly format?: MemberFormat;
  readonly suggestFilterValues: boolean;
  /** `type: switch`: the values it takes (its `values`); the query picks one by filter or group. */
  readonly switchValues?: readonly string[];
  /** `multi_stage: true` (dimensions computed over a stage of measures, or switch case dims). */
  readonly multiStage?: boolean;
  /** `case` with `switch` (then `sql` is absent). */
  readonly switchCase?: SwitchCase;
  /** Calendar cubes: custom SQL for shifted dates (`time_shift` on the time dimension). */
  readonly timeShift?: readonly DimensionTimeShift[];
}

export interface Segment extends MemberBase {
  readonly kind: 'segment';
  readonly sql: SqlTemplate;
}

export type Member = Measure | Dimension | Segment;

/** A directed join edge as declared on `from` (always rendered `from LEFT JOIN to ON sql`). */
export interface Join {
  readonly from: string;
  readonly to: string;
  readonly relationship: Relationship;
  readonly sql: SqlTemplate;
  /**
   * The cube whose rows this join repeats (Cube's multiplicationFactor): `from` for hasMany,
   * `to` for belongsTo, none for hasOne. Its sum/avg/count measures need dedup by primary key.
   */
  readonly multiplied?: string;
  readonly location: SourceLocation;
}

export interface RefreshKey {
  readonly every?: string;
  readonly sql?: SqlTemplate;
  readonly timezone?: string;
  readonly immutable?: boolean;
  readonly incremental?: boolean;
  readonly updateWindow?: string;
}

export type PreAggregationType = 'rollup' | 'originalSql' | 'rollupJoin' | 'rollupLambda' | 'autoRollup';

export interface PreAggregationIndex {
  readonly name: string;
  /** Full member paths when given as references, else raw column names. */
  readonly columns: readonly string[];
  readonly type: 'regular' | 'aggregate';
}

export interface PreAggregation {
  readonly name: string;
  readonly cube: string;
  /** `cube.name`, the id used by the jobs API and usedPreAggregations. */
  readonly path: string;
  readonly type: PreAggregationType;
  /** Full member paths (`cube.member`). */
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  readonly segments: readonly string[];
  /** `time_dimension` + `granularity` and `time_dimensions` merged, full paths. */
  readonly timeDimensions: readonly { readonly dimension: string; readonly granularity: string }[];
  /**
   * The `time_dimension` as a full path: for rollups the same as timeDimensions[0].dimension;
   * for original_sql the column its partitions are cut on (it has no granularity).
   */
  readonly timeDimension?: string;
  readonly partitionGranularity?: Granularity;
  readonly refreshKey?: RefreshKey;
  readonly buildRangeStart?: { readonly sql: SqlTemplate };
  readonly buildRangeEnd?: { readonly sql: SqlTemplate };
  readonly indexes: readonly PreAggregationIndex[];
  readonly scheduledRefresh: boolean;
  readonly external: boolean;
  readonly unionWithSourceData: boolean;
  /** rollup_join / rollup_lambda: referenced pre-aggregations as `cube.preagg` paths. */
  readonly rollups: readonly string[];
  readonly sqlAlias?: string;
  readonly allowNonStrictDateRangeMatch: boolean;
  /** Build this rollup from the cube's original_sql pre-aggregation instead of raw SQL. */
  readonly useOriginalSqlPreAggregations: boolean;
  readonly uniqueKeyColumns?: readonly string[];
  /** Join paths its members were given as (`orders.users.city` → [orders, users]): the build joins over them. */
  readonly joinHints?: readonly (readonly string[])[];
  readonly location: SourceLocation;
}

export interface Hierarchy { readonly name: string; readonly title?: string; readonly public: boolean; readonly levels: readonly string[] }
export interface Folder { readonly name: string; readonly includes: readonly string[] }

export interface Cube {
  readonly name: string;
  readonly kind: 'cube' | 'view';
  readonly title?: string;
  readonly description?: string;
  readonly meta?: Readonly<Record<string, unknown>>;
  /** Exactly one of sql / sqlTable for cubes; neither for views. */
  readonly sql?: SqlTemplate;
  readonly sqlTable?: SqlTemplate;
  readonly sqlAlias?: string;
  readonly dataSource: string;
  readonly public: boolean;
  readonly refreshKey?: RefreshKey;
  readonly extends?: string;
  readonly measures: ReadonlyMap<string, Measure>;
  readonly dimensions: ReadonlyMap<string, Dimension>;
  readonly segments: ReadonlyMap<string, Segment>;
  /** Joins declared on this cube (outgoing edges). Views have none. */
  readonly joins: readonly Join[];
  readonly preAggregations: ReadonlyMap<string, PreAggregation>;
  readonly hierarchies: readonly Hierarchy[];
  readonly folders: readonly Folder[];
  /** Names of primary-key dimensions. */
  readonly primaryKeys: readonly string[];
  /** `calendar: true`: a calendar cube whose time dimensions may define `time_shift`. */
  readonly calendar?: boolean;
  readonly location: SourceLocation;
}

export interface CompiledModel {
  /** Cubes and views by name, in definition order. */
  readonly cubes: ReadonlyMap<string, Cube>;
  /** Every measure, dimension and segment by `cube.member`. */
  readonly members: ReadonlyMap<string, Member>;
  /** All join edges; `joinsFrom`/`joinsTo` index them by cube. */
  readonly joins: readonly Join[];
  readonly joinsFrom: ReadonlyMap<string, readonly Join[]>;
  readonly joinsTo: ReadonlyMap<string, readonly Join[]>;
  /**
   * Id of each joined cube's undirected connected component, numbered as Cube does; cubes
   * without joins have none. Views carry their root cube's id.
   */
  readonly connectedComponents: ReadonlyMap<string, number>;
  /** Every pre-aggregation by `cube.name`. */
  readonly preAggregations: ReadonlyMap<string, PreAggregation>;
}
