// The API's view of the semantic-layer engine (model → normalise → compile → execute): one
// small interface, so REST and GraphQL share the pipeline and the wiring lives in one place
// (pipeline-engine.ts).
import type { CompiledModel, ModelError } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { RequestContext } from './cube-options.ts';
import type { Driver } from '../drivers/index.ts';
import type { ServerTiming } from './server-timing.ts';

export type Row = Record<string, unknown>;

export type AnnotationItem = {
  title?: string;
  shortTitle?: string;
  description?: string;
  type?: string;
  format?: unknown;
  meta?: unknown;
  drillMembers?: readonly string[];
  drillMembersGrouped?: unknown;
  granularity?: unknown;
  [other: string]: unknown;
};

export type Annotation = {
  measures: Record<string, AnnotationItem>;
  dimensions: Record<string, AnnotationItem>;
  segments: Record<string, AnnotationItem>;
  timeDimensions: Record<string, AnnotationItem>;
};

export type CompiledSql = {
  sql: string;
  params: readonly unknown[];
  annotation: Annotation;
  /** SQL column alias → `cube.member` (time dimensions: `cube.member.granularity`). */
  aliasToMember: Readonly<Record<string, string>>;
  /** `{ 'Cube.preAgg': { targetTableName, type } }` like Cube's debug field. */
  usedPreAggregations: Readonly<Record<string, unknown>>;
  dataSource: string;
  dbType: string;
  /** Served by the external pre-aggregation store. */
  external: boolean;
  /** For `total: true`: count of all rows without limit/offset, in column `total_count`. */
  totalQuery?: { sql: string; params: readonly unknown[] };
  /** When served by a rollup: the same query rendered for the source, used if the store fails. */
  sourceFallback?: { sql: string; params: readonly unknown[]; aliasToMember: Readonly<Record<string, string>> };
  /** For rollup answers: when the rollup was built (ISO); else the query's run time is reported. */
  lastRefreshTime?: string;
  /** Values of the `refresh_key: { sql }` of the cubes read; part of the result-cache key. */
  refreshKeyValues?: readonly string[];
  /** Seconds the result may be cached (the cube's refresh_key every). */
  cacheTtlSeconds?: number;
  /** Reads only built pre-aggregation tables (compile-query.ts): the result holds until they are rebuilt. */
  readsOnlyPreAggregations?: boolean;
};

export type ModelContext = {
  readonly appId: string;
  readonly model: CompiledModel;
  readonly errors: readonly ModelError[];
};

export interface Engine {
  /** The compiled model for this context (one per contextToAppId value). */
  getModel(ctx: RequestContext): Promise<ModelContext>;
  /** The `/v1/meta` cubes array (hidden members removed). */
  meta(mc: ModelContext, opts?: { extended?: boolean }): unknown[];
  normalize(mc: ModelContext, raw: unknown): NormalizedQuery;
  compile(mc: ModelContext, query: NormalizedQuery, ctx: RequestContext, timing?: ServerTiming): Promise<CompiledSql>;
  execute(mc: ModelContext, compiled: CompiledSql, ctx: RequestContext, signal?: AbortSignal): Promise<Row[]>;
  /** The default data source's driver and its dialect, for engine-side computations (funnels). */
  sourceDriver(ctx: RequestContext): Promise<{ driver: Driver; dialect: string }>;
  /** `/v1/pre-aggregations/jobs`, when the pre-aggregation module provides it. */
  preAggregationJobs?(body: unknown, ctx: RequestContext): Promise<unknown>;
  /** Errors while loading or reloading the model, for readiness and dev mode. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}
