// What the pre-aggregation builder needs from the source engine (DuckDB, Athena, Presto,
// Trino): run a Cube query without pre-aggregations and get rows keyed by member id, and run
// plain SQL for refresh keys and build ranges. createSourceEngine in compiled-source.ts wires it
// to the query compiler and a driver.
import type { CubeSource } from '../sql/render-context.ts';

export interface SourceTimeDimension {
  readonly dimension: string;
  readonly granularity?: string;
  readonly dateRange?: readonly [string, string];
}

export interface SourceQuery {
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  readonly segments: readonly string[];
  readonly timeDimensions: readonly SourceTimeDimension[];
  readonly timezone: string;
  /** Cube → FROM expression replacing the cube's SQL (built original_sql partitions). */
  readonly cubeSources?: Readonly<Record<string, CubeSource>>;
  /** Join paths the rows are built over (a pre-aggregation's members given as paths). */
  readonly joinHints?: readonly (readonly string[])[];
}

export type SourceRow = Record<string, unknown>;

export interface SourceEngine {
  /** Rows keyed by `cube.member` (time dimensions by `cube.member.granularity`), all of them (no limit). */
  load(query: SourceQuery, opts?: { readonly signal?: AbortSignal }): Promise<SourceRow[]>;
  /** Plain SQL on the source (refresh_key / build_range SQL). */
  sql(sql: string): Promise<SourceRow[]>;
}
