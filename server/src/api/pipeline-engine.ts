// Wires the API's Engine interface to the real stages: model/ (load, per-app cache, dev-mode
// reload), query/ (normalise, compile with the pre-aggregation matcher), drivers/ (source
// engine), and the pre-aggregation runtime (rollup store, jobs API) when it is available.
import { resolve } from 'node:path';
import { UserError } from '../errors.ts';
import { callHook } from '../auth/hook-error.ts';
import type { ServerConfig } from '../config.ts';
import { compileContextOf, compileModelFromSourcesAsync, loadModel, toMeta, watchModel, type ModelWatcher } from '../model/index.ts';
import type { CompiledModel, ModelError } from '../model/types.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileQuery } from '../sql/compile-query.ts';
import type { CubeOptions, RequestContext } from './cube-options.ts';
import type { CompiledSql, Engine, ModelContext, Row } from './engine.ts';
import { openDriver, type SourceDriver } from './open-driver.ts';
import { openPreAggRuntime, type PreAggRuntime } from './preagg-runtime.ts';
import { refreshTtlSeconds } from './refresh-ttl.ts';
import { RefreshKeys } from './refresh-keys.ts';

const DEFAULT_APP = 'CUBEJS_APP_default';

export async function createPipelineEngine(config: ServerConfig, options: CubeOptions): Promise<Engine> {
  const warn = (m: string) => process.stderr.write(`webcube server: ${m}\n`);
  // Build progress is info-level: shown with CUBEJS_LOG_LEVEL=info or trace.
  const log = config.logLevel === 'info' || config.logLevel === 'trace' ? warn : () => undefined;
  const schemaPath = resolve(options.schemaPath ?? config.schemaPath);
  const models = new Map<string, Promise<ModelContext>>();
  const drivers = new Map<string, Promise<SourceDriver>>();
  // Dev mode reloads the default app's model when a file changes, like Cube's dev server.
  const hotReload = config.devMode && !options.repositoryFactory;
  let watcher: Promise<ModelWatcher> | undefined;
  let preagg: Promise<PreAggRuntime | undefined> | undefined;
  // The pre-aggregation runtime serves the default app's model, always the latest compiled one.
  let defaultModel: CompiledModel | undefined;

  const refreshKeys = new RefreshKeys(async (sql) => (await driverFor('default', { securityContext: {}, requestId: 'refresh-key' })).query(sql, []));

  const toAppId = options.contextToAppId;
  const appIdOf = async (ctx: RequestContext) => (toAppId ? await callHook(() => String(toAppId(ctx))) : DEFAULT_APP);

  async function compile(ctx: RequestContext, appId: string): Promise<ModelContext> {
    // Like Cube, an app's model is compiled with the context of the request that first needs it.
    const compileContext = compileContextOf(ctx.securityContext, { requestId: ctx.requestId });
    const loaded = options.repositoryFactory
      ? await compileModelFromSourcesAsync((await options.repositoryFactory(ctx).dataSchemaFiles()).map((f) => ({ path: f.fileName, content: f.content })), { eventsTable: config.eventsTable, compileContext })
      : await loadModel({ schemaPath, eventsTable: config.eventsTable, compileContext });
    return Object.freeze({ appId, model: loaded.model, errors: loaded.errors });
  }

  function driverFor(dataSource: string, ctx: RequestContext): Promise<SourceDriver> {
    let d = drivers.get(dataSource);
    if (!d) {
      d = openDriver(config, options, dataSource, ctx);
      drivers.set(dataSource, d);
      d.catch(() => drivers.delete(dataSource));
    }
    return d;
  }

  function dbTypeOf(dataSource: string, ctx: RequestContext): string {
    if (typeof options.dbType === 'function') return options.dbType({ ...ctx, dataSource });
    return options.dbType ?? config.dbType;
  }

  function preAggs(mc: ModelContext, ctx: RequestContext): Promise<PreAggRuntime | undefined> {
    if (mc.appId !== DEFAULT_APP) return Promise.resolve(undefined);
    defaultModel = mc.model;
    // Opened on the first model with rollups (dev mode may add them later); no store file otherwise.
    if (!preagg && mc.model.preAggregations.size === 0) return Promise.resolve(undefined);
    preagg ??= driverFor('default', ctx)
      .then((driver) => openPreAggRuntime(config, options, () => defaultModel!, driver, { log, warn }))
      .catch((error: unknown) => {
        warn(`pre-aggregations unavailable, serving from the source: ${(error as Error).message}`);
        preagg = undefined;
        return undefined;
      });
    return preagg;
  }

  const engine: Engine = {
    async getModel(ctx) {
      const appId = await appIdOf(ctx);
      if (hotReload && appId === DEFAULT_APP) {
        watcher ??= watchModel({ schemaPath, eventsTable: config.eventsTable, onError: (e) => warn(`model reload failed: ${e.message}`) });
        watcher.catch(() => { watcher = undefined; });
        const { model, errors } = (await watcher).current();
        if (errors.length) throw new UserError(compileErrors(errors));
        return { appId, model, errors };
      }
      let mc = models.get(appId);
      if (!mc) {
        mc = compile(ctx, appId);
        models.set(appId, mc);
        mc.catch(() => models.delete(appId));
      }
      const got = await mc;
      if (got.errors.length) throw new UserError(compileErrors(got.errors));
      return got;
    },

    // `?extended` adds SQL details in Cube; hidden members stay hidden either way.
    meta(mc) {
      return toMeta(mc.model, { visibleOnly: true }) as unknown[];
    },

    normalize(mc, raw) {
      return normalizeQuery(raw, mc.model, { defaultLimit: config.defaultLimit, maxLimit: config.maxLimit, allowHidden: config.devMode });
    },

    async compile(mc, query, ctx, timing): Promise<CompiledSql> {
      const dataSource = dataSourceOf(mc.model, query.measures[0] ?? query.dimensions[0] ?? query.timeDimensions[0]?.dimension);
      const dbType = dbTypeOf(dataSource, ctx);
      const runtime = await preAggs(mc, ctx);
      if (runtime) {
        const t = performance.now();
        await runtime.prepare(query, mc.model);
        timing?.note('preagg', performance.now() - t);
      }
      const c = compileQuery(mc.model, query, {
        dialect: dbType,
        securityContext: ctx.securityContext,
        preAggregations: runtime?.matcher,
      });
      // An original_sql table lives in the source engine: only rollups run on the store.
      const external = Object.values(c.usedPreAggregations).some((u) => u.type !== 'originalSql') && runtime !== undefined;
      // The same query on the source, in case the rollup store fails when it runs.
      const source = external ? compileQuery(mc.model, query, { dialect: dbType, securityContext: ctx.securityContext }) : undefined;
      return {
        sql: c.sql,
        params: c.params,
        annotation: c.annotation as CompiledSql['annotation'],
        aliasToMember: c.aliasToMember,
        usedPreAggregations: c.usedPreAggregations,
        totalQuery: c.totalQuery,
        lastRefreshTime: external ? Object.keys(c.usedPreAggregations).map((id) => runtime!.lastRefreshTime(id)).find(Boolean) : undefined,
        sourceFallback: source ? { sql: source.sql, params: source.params, aliasToMember: source.aliasToMember } : undefined,
        dataSource,
        dbType,
        external,
        cacheTtlSeconds: refreshTtlSeconds(mc.model, query, dbType),
        readsOnlyPreAggregations: c.readsOnlyPreAggregations,
        refreshKeyValues: external ? [] : await refreshKeys.values(mc.model, query),
      };
    },

    async execute(_mc, compiled, ctx, signal): Promise<Row[]> {
      const onSource = async (sql: string, params: readonly unknown[]) => (await driverFor(compiled.dataSource, ctx)).query(sql, params, { signal });
      if (compiled.external) {
        const runtime = await preagg;
        const fb = compiled.sourceFallback;
        const fallback = fb ? async () => remapAliases(await onSource(fb.sql, fb.params), fb.aliasToMember, compiled.aliasToMember) : undefined;
        if (runtime) return runtime.execute(compiled, fallback);
        if (fallback) return fallback();
      }
      return onSource(compiled.sql, compiled.params);
    },

    async preAggregationJobs(body, ctx) {
      const mc = await engine.getModel(ctx);
      const runtime = await preAggs(mc, ctx);
      if (!runtime) throw new UserError("A user's selector doesn't match any of the pre-aggregations defined in the data model.");
      return runtime.jobs(body);
    },

    async sourceDriver(ctx) {
      return { driver: await driverFor('default', ctx), dialect: dbTypeOf('default', ctx) };
    },

    async ready() {
      const mc = await engine.getModel({ securityContext: {}, requestId: 'readyz' });
      const driver = await driverFor('default', { securityContext: {}, requestId: 'readyz' });
      void mc;
      await driver.query('SELECT 1', []);
      return true;
    },

    async close() {
      (await watcher?.catch(() => undefined))?.close();
      const rt = await preagg?.catch(() => undefined);
      await rt?.close();
      for (const d of drivers.values()) await (await d.catch(() => undefined))?.close();
      drivers.clear();
    },
  };
  return engine;
}

/** Rows of one rendering keyed by the aliases of another rendering of the same query. */
function remapAliases(rows: Row[], from: Readonly<Record<string, string>>, to: Readonly<Record<string, string>>): Row[] {
  const aliasOf = new Map(Object.entries(to).map(([alias, member]) => [member, alias]));
  const pairs = Object.entries(from).map(([alias, member]) => [alias, aliasOf.get(member) ?? alias] as const);
  return rows.map((r) => Object.fromEntries(pairs.map(([a, b]) => [b, r[a]])));
}

function dataSourceOf(model: CompiledModel, member: string | undefined): string {
  if (!member) return 'default';
  return model.cubes.get(member.split('.')[0]!)?.dataSource ?? 'default';
}

function compileErrors(errors: readonly ModelError[]): string {
  const lines = errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  return `Compile errors:\n${lines.join('\n')}`;
}
