// The API's handle on the pre-aggregation runtime (server/src/preagg/): the store (DuckDB file
// or MySQL), the matcher hook compileQuery takes, rollup queries on the store, the jobs API,
// and the in-process refresh scheduler when CUBEJS_REFRESH_WORKER is on (dev mode default).
import type { CompiledModel } from '../model/types.ts';
import type { PreAggMatcher } from '../planner/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { loadPreAggConfig } from '../preagg/config.ts';
import { openStore } from '../preagg/stores/open-store.ts';
import { createSourceEngine } from '../preagg/compiled-source.ts';
import { PreAggregations } from '../preagg/pre-aggregations.ts';
import { createJobsHandler } from '../preagg/jobs-handler.ts';
import type { Driver } from '../drivers/index.ts';
import type { ServerConfig } from '../config.ts';
import type { Row } from './engine.ts';

export interface PreAggRuntime {
  readonly matcher: PreAggMatcher<CompiledModel>;
  prepare(query: NormalizedQuery, model: CompiledModel): Promise<void>;
  execute(compiled: { sql: string; params: readonly unknown[]; aliasToMember: Readonly<Record<string, string>>; annotation?: unknown }): Promise<Row[]>;
  jobs(body: unknown): Promise<unknown>;
  close(): Promise<void>;
}

export async function openPreAggRuntime(
  config: ServerConfig,
  getModel: () => CompiledModel,
  driver: Driver,
  log: (msg: string) => void,
): Promise<PreAggRuntime | undefined> {
  const paConfig = loadPreAggConfig({ ...config.env, WEBCUBE_DATA_DIR: config.dataDir, CUBEJS_DEV_MODE: String(config.devMode) });
  // A model without rollups needs no store (and opens no file).
  if (getModel().preAggregations.size === 0) return undefined;
  const store = await openStore(paConfig);
  const source = createSourceEngine({ getModel, driver, dialect: driver.dialect });
  const pa = new PreAggregations({ config: paConfig, store, source, getModel, log });
  const jobs = createJobsHandler(pa);

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  if (paConfig.refreshWorker && paConfig.refreshTimerSeconds > 0) {
    const tick = () => {
      running ??= pa.refresh()
        .catch((e: unknown) => log(`scheduled pre-aggregation refresh failed: ${(e as Error).message}`))
        .finally(() => { running = undefined; });
    };
    timer = setInterval(tick, paConfig.refreshTimerSeconds * 1000);
    timer.unref();
    setImmediate(tick);
  }

  return {
    matcher: pa.matcher,
    prepare: (q, m) => pa.prepare(q, m),
    execute: (compiled) => pa.execute(compiled as Parameters<PreAggregations['execute']>[0]) as Promise<Row[]>,
    jobs,
    async close() {
      clearInterval(timer);
      await running;
      await pa.close();
      await store.close();
    },
  };
}
