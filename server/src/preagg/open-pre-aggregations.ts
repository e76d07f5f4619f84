// Factory the API server and the refresh worker call: reads the pre-aggregation config from the
// environment (with cube.js overrides: preAggregationsSchema, scheduledRefreshTimer,
// scheduledRefreshTimeZones, scheduledRefreshConcurrency), opens the store, wires the source
// through the query compiler, and starts the scheduler when the refresh worker is on.
import type { CompiledModel } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { PreAggMatcher } from '../planner/types.ts';
import { createSourceEngine, type SourceDriver } from './compiled-source.ts';
import { loadPreAggConfig, type PreAggConfig } from './config.ts';
import { createJobsHandler } from './jobs-handler.ts';
import { PreAggregations } from './pre-aggregations.ts';
import { createRefreshScheduler, type RefreshScheduler } from './scheduler.ts';
import { createLifecyclePass, hiveUnregister } from './lifecycle-pass.ts';
import { openStore } from './stores/open-store.ts';
import { ctasTables, duckdbParquetTables } from './source-tables.ts';

/** The cube.js options this module honours (Cube's names). */
export interface PreAggCubeOptions {
  readonly preAggregationsSchema?: string | ((ctx: { securityContext: Record<string, unknown> }) => string);
  readonly scheduledRefreshTimer?: boolean | number;
  readonly scheduledRefreshTimeZones?: readonly string[] | (() => readonly string[] | Promise<readonly string[]>);
  readonly scheduledRefreshConcurrency?: number;
  readonly scheduledRefreshContexts?: () => unknown;
}

export interface OpenPreAggregationsOptions {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly getModel: () => CompiledModel;
  /** Runs SQL on the source engine (the API's driver for the default data source). */
  readonly sourceSql: SourceDriver['query'];
  /** Source dialect / CUBEJS_DB_TYPE: duckdb, athena, presto, prestodb, trino, mysql. */
  readonly dialect: string;
  readonly options?: PreAggCubeOptions;
  readonly log?: (msg: string) => void;
  /** Force the in-process scheduler on or off (default: from the config). */
  readonly scheduler?: boolean;
}

export interface PreAggRuntimeHandle {
  readonly config: PreAggConfig;
  readonly preAggregations: PreAggregations;
  readonly matcher: PreAggMatcher<CompiledModel>;
  readonly scheduler: RefreshScheduler;
  /** Retention and rebuilds after erasures (lifecycle-pass.ts); the scheduler runs it before each pass. */
  lifecycle(): Promise<void>;
  prepare(query: NormalizedQuery, model: CompiledModel): Promise<void>;
  query(sql: string, params: readonly unknown[], opts?: { fallback?: () => Promise<Record<string, unknown>[]> }): Promise<Record<string, unknown>[]>;
  jobs(body: unknown, ctx?: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function openPreAggregations(o: OpenPreAggregationsOptions): Promise<PreAggRuntimeHandle> {
  const opts = o.options ?? {};
  const env: Record<string, string | undefined> = { ...o.env };
  if (typeof opts.preAggregationsSchema === 'string') env.CUBEJS_PRE_AGGREGATIONS_SCHEMA = opts.preAggregationsSchema;
  else if (typeof opts.preAggregationsSchema === 'function') env.CUBEJS_PRE_AGGREGATIONS_SCHEMA = opts.preAggregationsSchema({ securityContext: {} });
  if (opts.scheduledRefreshTimer !== undefined) env.CUBEJS_SCHEDULED_REFRESH_TIMER = String(opts.scheduledRefreshTimer);
  if (opts.scheduledRefreshConcurrency !== undefined) env.CUBEJS_SCHEDULED_REFRESH_CONCURRENCY = String(opts.scheduledRefreshConcurrency);
  const tz = typeof opts.scheduledRefreshTimeZones === 'function' ? await opts.scheduledRefreshTimeZones() : opts.scheduledRefreshTimeZones;
  if (tz?.length) env.CUBEJS_SCHEDULED_REFRESH_TIMEZONES = tz.join(',');
  const config = loadPreAggConfig(env);
  const log = o.log ?? ((m: string) => process.stderr.write(`${m}\n`));

  const store = await openStore(config);
  const dialect = o.dialect === 'prestodb' ? 'presto' : o.dialect;
  const driver = { query: o.sourceSql };
  const preAggs = new PreAggregations({
    config, store, getModel: o.getModel, log,
    source: createSourceEngine({ getModel: o.getModel, driver, dialect }),
    sourceTables: dialect === 'duckdb' ? duckdbParquetTables(driver, config.originalSqlLocation) : ctasTables(driver, dialect, config.schema),
  });
  const lifecycle = createLifecyclePass({
    preAggs, env: o.env, log,
    beforeDrop: dialect === 'presto' || dialect === 'trino'
      ? hiveUnregister(o.env.WEBCUBE_EVENTS_TABLE, o.env.CUBEJS_DB_PRESTO_CATALOG ?? o.env.CUBEJS_DB_CATALOG, (sql) => o.sourceSql(sql, []))
      : undefined,
  });
  const scheduler = createRefreshScheduler({ preAggs, intervalSeconds: config.refreshTimerSeconds, log, beforePass: lifecycle });
  if (o.scheduler ?? config.refreshTimerSeconds > 0) scheduler.start();
  const jobs = createJobsHandler(preAggs);

  return {
    config, preAggregations: preAggs, matcher: preAggs.matcher, scheduler, lifecycle,
    prepare: (q, m) => preAggs.prepare(q, m),
    query: (sql, params, qo) => preAggs.query(sql, params, qo),
    jobs: (body) => jobs(body),
    async close() {
      await scheduler.stop();
      await preAggs.close();
      await store.close();
    },
  };
}
