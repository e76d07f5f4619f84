// Wires the API's Engine interface to the real stages: model/ (load, per-app cache, dev-mode
// reload), query/ (normalise, compile with the pre-aggregation matcher), drivers/ (source
// engine), and the pre-aggregation runtime (rollup store, jobs API) when it is available.
import { watch, type FSWatcher } from 'node:fs';
import { resolve } from 'node:path';
import { UserError } from '../errors.ts';
import type { ServerConfig } from '../config.ts';
import { compileModelFromSources, loadModel, toMeta } from '../model/index.ts';
import type { CompiledModel, ModelError } from '../model/types.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileQuery } from '../query/compile-query.ts';
import type { CubeOptions, RequestContext } from './cube-options.ts';
import type { CompiledSql, Engine, ModelContext, Row } from './engine.ts';
import { openDriver, type SourceDriver } from './open-driver.ts';
import { openPreAggRuntime, type PreAggRuntime } from './preagg-runtime.ts';
import { refreshTtlSeconds } from './refresh-ttl.ts';

const DEFAULT_APP = 'CUBEJS_APP_default';

export async function createPipelineEngine(config: ServerConfig, options: CubeOptions, log: (msg: string) => void = (m) => process.stderr.write(`webcube server: ${m}\n`)): Promise<Engine> {
  const schemaPath = resolve(options.schemaPath ?? config.schemaPath);
  const models = new Map<string, Promise<ModelContext>>();
  const drivers = new Map<string, Promise<SourceDriver>>();
  const watchers: FSWatcher[] = [];
  let preagg: Promise<PreAggRuntime | undefined> | undefined;
  // The pre-aggregation runtime serves the default app's model, always the latest compiled one.
  let defaultModel: CompiledModel | undefined;

  const appIdOf = (ctx: RequestContext) => (options.contextToAppId ? String(options.contextToAppId(ctx)) : DEFAULT_APP);

  async function compile(ctx: RequestContext, appId: string): Promise<ModelContext> {
    const loaded = options.repositoryFactory
      ? compileModelFromSources((await options.repositoryFactory(ctx).dataSchemaFiles()).map((f) => ({ path: f.fileName, content: f.content })))
      : await loadModel({ schemaPath });
    return Object.freeze({ appId, model: loaded.model, errors: loaded.errors });
  }

  // Dev mode reloads the model when a file changes, like Cube's dev server.
  if (config.devMode && !options.repositoryFactory) {
    try {
      let timer: NodeJS.Timeout | undefined;
      watchers.push(watch(schemaPath, { recursive: true }, () => {
        clearTimeout(timer);
        timer = setTimeout(() => models.clear(), 100);
      }));
    } catch { /* a missing schema directory is reported on first use */ }
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
      .then((driver) => openPreAggRuntime(config, () => defaultModel!, driver, log))
      .catch((error: unknown) => {
        log(`pre-aggregations unavailable, serving from the source: ${(error as Error).message}`);
        preagg = undefined;
        return undefined;
      });
    return preagg;
  }

  const engine: Engine = {
    async getModel(ctx) {
      const appId = appIdOf(ctx);
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

    meta(mc, opts = {}) {
      return toMeta(mc.model, { visibleOnly: !opts.extended }) as unknown[];
    },

    normalize(mc, raw) {
      return normalizeQuery(raw, mc.model, { defaultLimit: config.defaultLimit, maxLimit: config.maxLimit });
    },

    async compile(mc, query, ctx): Promise<CompiledSql> {
      const dataSource = dataSourceOf(mc.model, query.measures[0] ?? query.dimensions[0] ?? query.timeDimensions[0]?.dimension);
      const dbType = dbTypeOf(dataSource, ctx);
      const runtime = await preAggs(mc, ctx);
      if (runtime) await runtime.prepare(query, mc.model);
      const c = compileQuery(mc.model, query, {
        dialect: dbType,
        securityContext: ctx.securityContext,
        preAggregations: runtime?.matcher,
      });
      const external = Object.keys(c.usedPreAggregations).length > 0 && runtime !== undefined;
      return {
        sql: c.sql,
        params: c.params,
        annotation: c.annotation as CompiledSql['annotation'],
        aliasToMember: c.aliasToMember,
        usedPreAggregations: c.usedPreAggregations,
        totalQuery: c.totalQuery,
        dataSource,
        dbType,
        external,
        cacheTtlSeconds: refreshTtlSeconds(mc.model, query, dbType),
      };
    },

    async execute(_mc, compiled, ctx, signal): Promise<Row[]> {
      if (compiled.external) {
        const runtime = await preagg;
        if (runtime) return runtime.execute(compiled);
      }
      const driver = await driverFor(compiled.dataSource, ctx);
      return driver.query(compiled.sql, compiled.params, { signal });
    },

    async preAggregationJobs(body, ctx) {
      const mc = await engine.getModel(ctx);
      const runtime = await preAggs(mc, ctx);
      if (!runtime) throw new UserError("A user's selector doesn't match any of the pre-aggregations defined in the data model.");
      return runtime.jobs(body);
    },

    async ready() {
      const mc = await engine.getModel({ securityContext: {}, requestId: 'readyz' });
      const driver = await driverFor('default', { securityContext: {}, requestId: 'readyz' });
      void mc;
      await driver.query('SELECT 1', []);
      return true;
    },

    async close() {
      for (const w of watchers) w.close();
      const rt = await preagg?.catch(() => undefined);
      await rt?.close();
      for (const d of drivers.values()) await (await d.catch(() => undefined))?.close();
      drivers.clear();
    },
  };
  return engine;
}

function dataSourceOf(model: CompiledModel, member: string | undefined): string {
  if (!member) return 'default';
  return model.cubes.get(member.split('.')[0]!)?.dataSource ?? 'default';
}

function compileErrors(errors: readonly ModelError[]): string {
  const lines = errors.map((e) => `${e.file}${e.line ? `:${e.line}` : ''}${e.path ? ` ${e.path}` : ''}: ${e.message}`);
  return `Compile errors:\n${lines.join('\n')}`;
}
