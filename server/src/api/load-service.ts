// The REST and GraphQL query pipeline: parse → split (compareDateRange, blending) → normalise →
// queryRewrite → normalise again (as Cube does) → compile → run (cached, deduplicated,
// Continue wait) → shape Cube's load / sql / dry-run responses.
import { randomUUID } from 'node:crypto';
import { UserError, WebcubeError } from '../errors.ts';
import { callHook } from '../auth/hook-error.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { ServerConfig } from '../config.ts';
import type { CubeOptions, RequestContext } from './cube-options.ts';
import type { CompiledSql, Engine, ModelContext, Row } from './engine.ts';
import { QueryRunner } from './query-runner.ts';
import { toEchoQuery, toRawQuery } from './cube-query.ts';
import { planColumns, toCompact, transformData } from './transform-data.ts';
import { checkBlendingGranularities, parseQueryParam, pivotQuery, splitCompareDateRange, type QueryType } from './split-query.ts';
import { checkQueriesPerRequest } from './queries-per-request.ts';
import { ServerTiming } from './server-timing.ts';

export type { QueryType } from './split-query.ts';

export type Prepared = {
  mc: ModelContext;
  query: NormalizedQuery;
  compiled: CompiledSql;
  /** `from - to` label added to each row of a compareDateRange part. */
  compareDateRange?: string;
};

/** How long an answer read only from built pre-aggregation tables is kept (LRU and memory bounds still apply). */
export const PRE_AGGREGATION_RESULT_TTL_MS = 3600_000;

/** `slowQuery`: a stale result was served because the fresh run is slow (Cube's flag). */
type RunOutcome = { rows: Row[]; refreshedAt: number; total: number | null; slowQuery: boolean };

export class LoadService {
  readonly runner: QueryRunner<Row[]>;

  constructor(
    private readonly engine: Engine,
    private readonly options: CubeOptions,
    private readonly config: ServerConfig,
  ) {
    const orch = typeof options.orchestratorOptions === 'object' ? options.orchestratorOptions : undefined;
    const continueWaitMs = orch?.continueWaitTimeout !== undefined ? orch.continueWaitTimeout * 1000 : config.continueWaitTimeoutMs;
    const concurrency = orch?.queryCacheOptions?.queueOptions?.concurrency ?? config.concurrency;
    this.runner = new QueryRunner<Row[]>({
      continueWaitMs, maxEntries: config.cacheMaxEntries, concurrency, maxQueue: config.maxQueue,
      maxWeight: config.cacheMaxCells, weigh: (rows) => rows.length * Object.keys(rows[0] ?? {}).length + 1,
    });
  }

  /** Parses `query` (JSON text or object) and splits it into the queries Cube would run. */
  async prepare(rawQuery: unknown, ctx: RequestContext, allowMulti: boolean, timing?: ServerTiming): Promise<{ queryType: QueryType; prepared: Prepared[] }> {
    const query = parseQueryParam(rawQuery);
    const mc = await this.engine.getModel(ctx);
    let queryType: QueryType = 'regularQuery';
    let parts: { raw: unknown; compareDateRange?: boolean }[];
    if (Array.isArray(query)) {
      queryType = 'blendingQuery';
      parts = query.map((raw) => ({ raw }));
    } else {
      const split = splitCompareDateRange(query);
      if (split) queryType = 'compareDateRangeQuery';
      parts = (split ?? [query]).map((raw) => ({ raw, compareDateRange: Boolean(split) }));
    }
    checkQueriesPerRequest(parts.length, queryType === 'blendingQuery' ? 'query array' : 'compareDateRange');
    if (queryType !== 'regularQuery' && !allowMulti) {
      throw new UserError(`'${queryType}' query type is not supported by the client.Please update the client.`);
    }
    const prepared = await Promise.all(parts.map(async (part) => {
      const normalized = await this.rewrite(mc, this.engine.normalize(mc, part.raw), ctx);
      const compiled = await this.engine.compile(mc, normalized, ctx, timing);
      const range = part.compareDateRange ? normalized.timeDimensions.find((td) => td.dateRange)?.dateRange : undefined;
      return { mc, query: normalized, compiled, compareDateRange: range ? `${range[0]} - ${range[1]}` : undefined };
    }));
    if (queryType === 'blendingQuery') checkBlendingGranularities(prepared);
    return { queryType, prepared };
  }

  private async rewrite(mc: ModelContext, q: NormalizedQuery, ctx: RequestContext): Promise<NormalizedQuery> {
    const fn = this.options.queryRewrite ?? this.options.queryTransformer;
    if (!fn) return q;
    const cubes = [...mc.model.cubes.values()].map((c) => ({
      name: c.name,
      dimensions: [...c.dimensions.keys()].map((d) => `${c.name}.${d}`),
      measures: [...c.measures.keys()].map((m) => `${c.name}.${m}`),
    }));
    // A rewrite that throws is refusing the query for this security context.
    const rewritten = await callHook(() => fn(toRawQuery(q), { ...ctx, cubes }));
    return this.engine.normalize(mc, rewritten);
  }

  async load(rawQuery: unknown, ctx: RequestContext, opts: { multi: boolean; timing?: ServerTiming }): Promise<unknown> {
    const timing = opts.timing ?? new ServerTiming();
    const { queryType, prepared } = await timing.time('prepare', () => this.prepare(rawQuery, ctx, opts.multi, timing));
    const outcomes = await Promise.all(prepared.map((p) => this.run(p, ctx, timing)));
    const shapeStart = performance.now();
    const results = prepared.map((p, i) => this.shape(p, outcomes[i]!, ctx, queryType));
    timing.note('shape', performance.now() - shapeStart);
    if (!opts.multi) return results[0];
    return {
      queryType,
      results,
      pivotQuery: pivotQuery(queryType, prepared),
      slowQuery: outcomes.some((o) => o.slowQuery),
    };
  }

  async sql(rawQuery: unknown, ctx: RequestContext): Promise<unknown> {
    const { queryType, prepared } = await this.prepare(rawQuery, ctx, true);
    const toSql = (p: Prepared) => ({
      sql: {
        sql: [p.compiled.sql, [...p.compiled.params]],
        order: p.query.order.map((o) => ({ [o.id]: o.desc ? 'desc' : 'asc' })),
        aliasNameToMember: p.compiled.aliasToMember,
        dataSource: p.compiled.dataSource,
        external: p.compiled.external,
        preAggregations: Object.keys(p.compiled.usedPreAggregations).map((id) => ({ preAggregationId: id, ...(p.compiled.usedPreAggregations[id] as object) })),
      },
    });
    return queryType === 'regularQuery' ? toSql(prepared[0]!) : prepared.map(toSql);
  }

  async dryRun(rawQuery: unknown, ctx: RequestContext): Promise<unknown> {
    const { queryType, prepared } = await this.prepare(rawQuery, ctx, true);
    return {
      queryType,
      normalizedQueries: prepared.map((p) => toEchoQuery(p.query)),
      queryOrder: prepared[0]!.query.order.map((o) => ({ [o.id]: o.desc ? 'desc' : 'asc' })),
      transformedQueries: prepared.map(() => null),
      pivotQuery: pivotQuery(queryType, prepared),
    };
  }

  /** Runs one prepared query (and its total count) through the shared cache and long-poll. */
  async run(p: Prepared, ctx: RequestContext, timing?: ServerTiming): Promise<RunOutcome> {
    const refreshTtlMs = p.compiled.cacheTtlSeconds !== undefined ? p.compiled.cacheTtlSeconds * 1000 : this.config.cacheTtlMs;
    // As Cube keys a pre-aggregation answer by the pre-aggregation's version: a rebuild (or a new
    // lambda tail) changes the table names in the SQL, hence the cache key, so the answer from
    // the same tables stays right until they are replaced, whatever the refresh interval.
    const ttlMs = p.compiled.readsOnlyPreAggregations && refreshTtlMs > 0 ? Math.max(refreshTtlMs, PRE_AGGREGATION_RESULT_TTL_MS) : refreshTtlMs;
    const renew = p.query.renewQuery || p.query.cache === 'no-cache';
    const mode = p.query.cache;
    const asked = performance.now();
    let ran = false;
    const exec = (c: CompiledSql) => async () => {
      const started = performance.now();
      ran = true;
      timing?.note('queue', started - asked);
      try {
        return await this.execute(p.mc, c, ctx);
      } finally {
        timing?.note('db', performance.now() - started);
      }
    };
    const main = this.runner.run(runKey(p.mc, p.compiled), exec(p.compiled), { ttlMs, renew, mode })
      .then((r) => {
        timing?.cache(r.cached);
        // Joined a run another request started: its wait counts as the engine's time.
        if (!r.cached && !ran) timing?.note('db', performance.now() - asked);
        return r;
      });
    let total: Promise<number | null> = Promise.resolve(null);
    if (p.query.total && p.compiled.totalQuery) {
      const countSql: CompiledSql = { ...p.compiled, sql: p.compiled.totalQuery.sql, params: p.compiled.totalQuery.params, aliasToMember: {} };
      total = this.runner.run(runKey(p.mc, countSql), exec(countSql), { ttlMs, renew, mode })
        .then((r) => {
          const row = r.value[0] ?? {};
          return Number(row.total_count ?? Object.values(row)[0] ?? 0);
        });
    }
    const [m, t] = await Promise.all([main, total]);
    return { rows: m.value, refreshedAt: m.refreshedAt, total: t, slowQuery: Boolean(m.stale) };
  }

  private async execute(mc: ModelContext, compiled: CompiledSql, ctx: RequestContext): Promise<Row[]> {
    try {
      return await this.engine.execute(mc, compiled, ctx);
    } catch (error) {
      if (error instanceof WebcubeError) throw error;
      // Cube answers database errors with 400 and the engine's message.
      const message = error instanceof Error ? error.message : String(error);
      throw new WebcubeError(`Error: ${message}`, 400, 'QUERY_ERROR');
    }
  }

  shape(p: Prepared, outcome: RunOutcome, ctx: RequestContext, queryType: QueryType): Record<string, unknown> {
    const columns = planColumns(p.compiled.aliasToMember, p.compiled.annotation, p.query);
    let data: Record<string, unknown>[] = transformData(outcome.rows, columns);
    if (p.compareDateRange) {
      const label = p.compareDateRange;
      for (const row of data) row.compareDateRange = label;
    }
    if (queryType === 'blendingQuery') {
      const td = p.query.timeDimensions.find((t) => t.granularity);
      if (td) {
        const key = `${td.dimension}.${td.granularity}`;
        data = data.map((row) => ({ ...row, [`time.${td.granularity}`]: row[key] }));
      }
    }
    return {
      query: toEchoQuery(p.query),
      data: p.query.responseFormat === 'compact' ? toCompact(data, columns) : data,
      lastRefreshTime: p.compiled.lastRefreshTime ?? new Date(outcome.refreshedAt).toISOString(),
      refreshKeyValues: (p.compiled.refreshKeyValues ?? []).map((v) => [{ refresh_key: v }]),
      usedPreAggregations: p.compiled.usedPreAggregations,
      transformedQuery: null,
      requestId: ctx.requestId,
      annotation: p.compiled.annotation,
      dataSource: p.compiled.dataSource,
      dbType: p.compiled.dbType,
      extDbType: this.config.env.CUBEJS_EXT_DB_TYPE ?? 'duckdb',
      external: p.compiled.external,
      slowQuery: outcome.slowQuery,
      total: p.query.total ? outcome.total : null,
    };
  }
}

export function newRequestId(header: unknown): string {
  return typeof header === 'string' && header.length > 0 && header.length < 200 ? header : `${randomUUID()}-span-1`;
}

function runKey(mc: ModelContext, c: CompiledSql): string {
  return JSON.stringify([mc.appId, c.dataSource, c.sql, c.params, c.refreshKeyValues ?? []], (_k, v) => (typeof v === 'bigint' ? `${v}n` : v));
}
