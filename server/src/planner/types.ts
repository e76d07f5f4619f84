// Contracts between the planner and its neighbours: the pre-aggregation matcher hook (owned by
// server/src/preagg/) and the join plan the SQL renderer consumes.
import type { NormalizedQuery } from '../query/types.ts';

/**
 * What a pre-aggregation matcher returns when a rollup can answer a query. The renderer then
 * reads the rollup table(s) instead of the source: it selects `columns[member]`, re-aggregates
 * measures (count/sum → sum, min → min, max → max, count_distinct_approx → HLL merge of the
 * rollup's sketch rows), re-truncates the time column when the query's granularity is coarser than the
 * rollup's, and applies the query's filters to the rollup columns.
 */
export interface PreAggMatch {
  /** 'Cube.preAggName', reported back in usedPreAggregations. */
  readonly preAggregation: string;
  /** Fully qualified, unquoted table names (`schema.table`); several partitions are UNION ALL'ed. */
  readonly tables: readonly string[];
  /**
   * Column name in the rollup table for each member. Measures and dimensions by member name
   * (`Cube.count`), the time dimension by `Cube.time.granularity` (rollup granularity).
   */
  readonly columns: Readonly<Record<string, string>>;
  /** The rollup's time dimension; its column holds local wall time in `timezone`, truncated to `granularity`. */
  readonly timeDimension?: { readonly member: string; readonly granularity: string };
  /** Time zone the rollup was built in; the matcher only matches queries in the same zone. */
  readonly timezone?: string;
  /** Dialect of the store holding the tables, when it differs from the source's (external store). */
  readonly dialect?: string;
  /**
   * count_distinct measures answered by re-counting a rollup dimension with the same SQL (the
   * distinct key): measure path → column, rendered `count(DISTINCT column)` at any grain.
   */
  readonly distinctColumns?: Readonly<Record<string, string>>;
  /** For a filtered count_distinct in distinctColumns: the rollup's count column with the same
   *  filters; only rows where it is above 0 hold a value that passes them. */
  readonly distinctWhen?: Readonly<Record<string, string>>;
  /**
   * Set when the rollup holds HyperLogLog sketch rows (server/src/preagg/hll.ts): `register` is
   * the column that is NULL on ordinary rows and holds the register on sketch rows, `ranks` maps
   * each count_distinct_approx measure the query computes to its rank column. Such a measure is
   * merged (max rank per answer row and register) and estimated at any grain.
   */
  readonly sketch?: { readonly register: string; readonly ranks: Readonly<Record<string, string>> };
  /** Free-form info the API echoes under usedPreAggregations[table]. */
  readonly targetTableName?: string;
  readonly type?: string;
}

/** Where a render binds values: returns the token standing for `value` in the SQL (sql/params.ts). */
export interface BindsValues {
  add(value: unknown): string;
}

/**
 * A built `original_sql` pre-aggregation standing in for its cube's SQL (Cube's
 * BaseQuery.cubeSql → originalSqlPreAggregationTable): the FROM expression, in the source
 * dialect, that reads the materialised rows.
 */
export interface OriginalSqlSource {
  /** 'Cube.preAggName', reported in usedPreAggregations with type 'originalSql'. */
  readonly preAggregation: string;
  readonly from: string;
  readonly targetTableName: string;
  /**
   * The cube's own rows from where the built partitions are stale (data arrived after their
   * build), unioned with `from`: a SELECT whose bound values go to `params`.
   */
  readonly sourceRows?: (params: BindsValues) => string;
}

export interface PreAggMatcher<Model = unknown> {
  match(query: NormalizedQuery, model: Model): PreAggMatch | null;
  /** For a query no rollup serves: the materialised original_sql that may replace `cube`'s SQL, if any. */
  originalSql?(cube: string, query: NormalizedQuery, model: Model): OriginalSqlSource | null;
}
