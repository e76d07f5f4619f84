// The API's handle on the pre-aggregation runtime (server/src/preagg/openPreAggregations): the
// store, the matcher hook compileQuery takes, rollup queries on the store (falling back to the
// source when the store fails), the jobs API, and the in-process refresh scheduler when
// CUBEJS_REFRESH_WORKER is on (dev mode default).
import type { CompiledModel } from '../model/types.ts';
import type { PreAggMatcher } from '../planner/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { openPreAggregations, type PreAggCubeOptions } from '../preagg/open-pre-aggregations.ts';
import type { Driver } from '../drivers/index.ts';
import type { ServerConfig } from '../config.ts';
import type { CubeOptions } from './cube-options.ts';
import type { Row } from './engine.ts';

export type StoreQuery = { sql: string; params: readonly unknown[]; aliasToMember: Readonly<Record<string, string>>; annotation?: unknown };

export interface PreAggRuntime {
  readonly matcher: PreAggMatcher<CompiledModel>;
  prepare(query: NormalizedQuery, model: CompiledModel): Promise<void>;
  /** Runs a rollup query on the store; on a store failure runs `fallback` (the same query on the source). */
  execute(compiled: StoreQuery, fallback?: () => Promise<Row[]>): Promise<Row[]>;
  jobs(body: unknown): Promise<unknown>;
  /** When the newest build of that pre-aggregation finished (ISO), Cube's lastRefreshTime for rollup answers. */
  lastRefreshTime(preAggregation: string): string | undefined;
  close(): Promise<void>;
}

export async function openPreAggRuntime(
  config: ServerConfig,
  options: CubeOptions,
  getModel: () => CompiledModel,
  driver: Driver,
  logger: { log: (msg: string) => void; warn: (msg: string) => void },
): Promise<PreAggRuntime> {
  const handle = await openPreAggregations({
    env: { ...config.env, WEBCUBE_DATA_DIR: config.dataDir, CUBEJS_DEV_MODE: String(config.devMode), CUBEJS_REFRESH_WORKER: String(config.refreshWorker) },
    getModel,
    sourceSql: (sql, params, o) => driver.query(sql, params, o),
    dialect: driver.dialect,
    options: options as PreAggCubeOptions,
    log: logger.log,
  });
  return {
    matcher: handle.matcher,
    prepare: (q, m) => handle.prepare(q, m),
    async execute(compiled, fallback) {
      try {
        return await handle.preAggregations.execute(compiled as Parameters<typeof handle.preAggregations.execute>[0]) as Row[];
      } catch (error) {
        if (!fallback) throw error;
        logger.warn(`pre-aggregation store query failed, answering from the source: ${(error as Error).message}`);
        return fallback();
      }
    },
    jobs: (body) => handle.jobs(body),
    lastRefreshTime: (id) => handle.preAggregations.lastRefreshTime({ preAggregation: id } as Parameters<typeof handle.preAggregations.lastRefreshTime>[0]),
    close: () => handle.close(),
  };
}
