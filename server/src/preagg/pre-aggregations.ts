// The pre-aggregation runtime one server (or refresh worker) holds: the store, the build log
// cache the synchronous matcher reads, partition refreshes through the build queue, lambda
// tails, and the query hook for compileQuery.
//
// Lambda design: the part of a `union_with_source_data` rollup newer than its last build is
// aggregated from the source by the rollup's own query (same SQL as a build, range [boundary,
// ∞)), and loaded into the store as an ephemeral "tail" table. The matcher lists it with the
// rollup's partitions, so the renderer's UNION ALL + re-aggregation treats it like any other
// partition, whichever engines hold the source and the store. Tails are refreshed by prepare()
// before a query (shared by concurrent queries) when older than `tailTtlMs`.
import { createHash } from 'node:crypto';
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { OriginalSqlSource, PreAggMatch, PreAggMatcher } from '../planner/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { BuildLog, type BuildRecord } from './build-log.ts';
import { BuildQueue } from './build-queue.ts';
import { buildPartition, structureVersion } from './build-partition.ts';
import { rollupRows } from './rollup-rows.ts';
import type { PreAggConfig } from './config.ts';
import { loadTable, batches, sweepTmpTables } from './load-table.ts';
import { matchCandidates } from './candidates.ts';
import { matchPreAggregation, type BuiltState } from './matcher.ts';
import { planPartitions, type PartitionPlan } from './plan-partitions.ts';
import { rollupColumns } from './rollup-columns.ts';
import type { SourceEngine } from './source-engine.ts';
import type { PreAggStore, StoreRow } from './stores/types.ts';
import { toCell } from './stores/duckdb.ts';
import { formatLocal, parseLocal } from './time.ts';
import { buildOriginalSql } from './build-original-sql.ts';
import {
  asPartitioned, coveringOriginalSql, ORIGINAL_SQL_TZ, originalSqlByCube, queryUtcRange, splitStale, staleRowsRenderer,
} from './original-sql.ts';
import { StaleBuilds } from './stale-builds.ts';
import type { CubeSource } from '../sql/render-context.ts';
import type { SourceTables } from './source-tables.ts';
import { localToUtc } from '../query/time-zone.ts';
import type { LocalRange } from './time.ts';

export interface PreAggregationsOptions {
  readonly config: Pick<PreAggConfig, 'schema' | 'batchSize' | 'dropGraceSeconds' | 'refreshConcurrency' | 'refreshTimezones'>;
  readonly store: PreAggStore;
  readonly source: SourceEngine;
  /** Where original_sql pre-aggregations are materialised in the source; without it they are not built. */
  readonly sourceTables?: SourceTables;
  readonly getModel: () => CompiledModel;
  readonly log?: (msg: string) => void;
  /** How long the build log is cached for the matcher. */
  readonly stateTtlMs?: number;
  readonly tailTtlMs?: number;
  readonly lambdaLagMs?: number;
  readonly retries?: number;
  readonly now?: () => number;
}

export interface RefreshSelector {
  readonly preAggregations?: readonly string[];
  readonly cubes?: readonly string[];
  readonly timezones?: readonly string[];
  readonly dateRange?: readonly [string, string];
  /** Build only what is missing or stale (default) or every partition in range. */
  readonly force?: boolean;
  /** Also return up-to-date partitions (no build needed), for the jobs API. */
  readonly includeCurrent?: boolean;
}

export interface PlannedBuild {
  readonly preAgg: PreAggregation;
  readonly timezone: string;
  readonly plan: PartitionPlan;
  readonly key: string;
}

/** A renewQuery joins a tail read that started at most this long before it arrived. */
const SHARED_READ_MS = 250;
/** Table name the tail probe hands the matcher in place of a lambda tail not read yet. */
const TAIL_STAND_IN = '\u0000tail:';

interface Tail { table: string; from: string; builtAt: number; pending?: Promise<void>; pendingSince?: number }

export class PreAggregations {
  readonly buildLog: BuildLog;
  readonly queue: BuildQueue;
  private builds = new Map<string, BuildRecord[]>();
  private stateAt = 0;
  private statePending?: Promise<void>;
  private readonly tails = new Map<string, Tail>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly svCache = new WeakMap<PreAggregation, string>();
  private readonly log: (m: string) => void;
  private readonly now: () => number;
  private readonly staleBuilds: StaleBuilds;
  /** original_sql path → end of the last partition its last refresh plan covers. */
  private readonly plannedEnds = new Map<string, string>();

  constructor(private readonly o: PreAggregationsOptions) {
    this.buildLog = new BuildLog(o.store, o.config.schema);
    this.log = o.log ?? (() => undefined);
    this.now = o.now ?? Date.now;
    this.staleBuilds = new StaleBuilds({ source: o.source, ttlMs: o.tailTtlMs ?? 1000, now: this.now, log: this.log });
    this.queue = new BuildQueue({ concurrency: o.config.refreshConcurrency, retries: o.retries ?? 3, backoffMs: 200, log: this.log });
  }

  get store(): PreAggStore { return this.o.store; }

  private unhealthyUntil = 0;

  /** The hook compileQuery takes: synchronous, reads the cached build state. */
  readonly matcher: PreAggMatcher<CompiledModel> = {
    match: (query: NormalizedQuery, model: CompiledModel): PreAggMatch | null =>
      (this.healthy ? matchPreAggregation(query, model, this.state(model)) : null),
    // original_sql tables live in the source, so a store outage does not matter here.
    originalSql: (cube, query, model) => {
      const pa = originalSqlByCube(model).get(cube);
      if (!pa || model.cubes.get(cube)?.dataSource !== 'default') return null;
      const s = this.originalSqlSource(model, pa, queryUtcRange(query, model, pa));
      return s ? { preAggregation: pa.path, ...s } : null;
    },
  };

  /**
   * The built partitions of an original_sql pre-aggregation that may replace its cube's SQL over
   * the UTC range, plus the cube's own rows from where newer data made them stale; null when the
   * cube's SQL must serve it all (nothing built, a hole, or stale from the start).
   */
  private originalSqlSource(model: CompiledModel, pa: PreAggregation, utc: readonly [string, string] | undefined):
    Omit<OriginalSqlSource, 'preAggregation'> | null {
    const tables = this.o.sourceTables;
    if (!tables) return null;
    const builds = this.state(model).builds(pa.path, ORIGINAL_SQL_TZ);
    const cover = coveringOriginalSql(pa, builds, utc, this.plannedEnds.get(pa.path));
    if (!cover) return null;
    const split = splitStale(pa, cover, builds, utc, (b) => this.staleBuilds.isStale(pa, b));
    if (split.built.length === 0) return null;
    return {
      from: tables.from(split.built.map((b) => b.tableName)),
      targetTableName: split.built[0]!.tableName,
      ...(split.sourceFrom !== undefined ? { sourceRows: staleRowsRenderer(model, pa, tables.dialect, split.sourceFrom, utc) } : {}),
    };
  }

  /** Per cube with an original_sql pre-aggregation: its built partitions holding every row of a
   *  rollup partition's range (local in `tz`), when none is missing. Rebuild decisions only:
   *  what a build reads is cubeSources'. */
  private originalSqlCovers(model: CompiledModel, tz: string, range: LocalRange | undefined): Map<string, BuildRecord[]> {
    const out = new Map<string, BuildRecord[]>();
    const utc = range ? [localToUtc(range.start, tz), localToUtc(range.end, tz)] as const : undefined;
    for (const [cube, pa] of originalSqlByCube(model)) {
      const cover = coveringOriginalSql(pa, this.state(model).builds(pa.path, ORIGINAL_SQL_TZ), utc, this.plannedEnds.get(pa.path));
      if (cover) out.set(cube, cover);
    }
    return out;
  }

  /** use_original_sql_pre_aggregations: cube → FROM over its covering partitions (and its own SQL
   *  where they are stale); cubes without them read raw. */
  private cubeSources(model: CompiledModel, tz: string, range: LocalRange | undefined): Record<string, CubeSource> {
    const utc = range ? [localToUtc(range.start, tz), localToUtc(range.end, tz)] as const : undefined;
    const out: Record<string, CubeSource> = {};
    for (const [cube, pa] of originalSqlByCube(model)) {
      const s = this.originalSqlSource(model, pa, utc);
      if (s) out[cube] = s.sourceRows ? { from: s.from, sourceRows: s.sourceRows } : s.from;
    }
    return out;
  }

  /** The newest original_sql build a rollup partition would read, so a rebuild there rebuilds the rollup. */
  private newestOriginalSqlBuild(model: CompiledModel, tz: string, range: LocalRange | undefined): number {
    let newest = 0;
    for (const cover of this.originalSqlCovers(model, tz, range).values()) for (const b of cover) newest = Math.max(newest, b.builtAt);
    return newest;
  }

  /** False for a few seconds after the store failed a query: queries go to the source meanwhile. */
  get healthy(): boolean { return this.now() >= this.unhealthyUntil; }

  markUnhealthy(e: unknown, ms = 5000): void {
    this.unhealthyUntil = this.now() + ms;
    this.log(`pre-aggregation store failed (${(e as Error).message}); serving from the source for ${ms / 1000} s`);
  }

  private sv(model: CompiledModel, pa: PreAggregation): string {
    let v = this.svCache.get(pa);
    if (!v) { v = structureVersion(model, pa); this.svCache.set(pa, v); }
    return v;
  }

  private state(model: CompiledModel): BuiltState {
    return {
      builds: (pa, tz) => {
        const p = model.preAggregations.get(pa);
        return p ? (this.builds.get(`${pa}|${tz}`) ?? []).filter((b) => b.structureVersion === this.sv(model, p)) : [];
      },
      tail: (pa, tz, from) => {
        const t = this.tails.get(`${pa}|${tz}`);
        return t && t.from === from && this.now() - t.builtAt <= (this.o.tailTtlMs ?? 1000) * 5 ? t.table : undefined;
      },
      stale: (pa, b) => this.staleBuilds.isStale(pa, b),
      qualify: (t) => `${this.o.config.schema}.${t}`,
      dialect: this.o.store.type,
    };
  }

  /** Reloads the build log into the matcher's cache (shared by concurrent callers). */
  async reloadState(force = false): Promise<void> {
    if (!force && this.now() - this.stateAt < (this.o.stateTtlMs ?? 1000)) return;
    this.statePending ??= (async () => {
      const next = new Map<string, BuildRecord[]>();
      for (const r of await this.buildLog.list()) {
        const k = `${r.preAggregation}|${r.timezone}`;
        (next.get(k) ?? next.set(k, []).get(k)!).push(r);
      }
      this.builds = next;
      this.stateAt = this.now();
    })().finally(() => { this.statePending = undefined; });
    return this.statePending;
  }

  /**
   * Call before compiling a query: refreshes the build cache and, for lambda rollups that could
   * serve it, the fresh tail from the source. A renewQuery (the realtime cards) gets a tail read
   * after it arrived, so an event in the source before the query is in the answer. Never throws;
   * a failure only means no rollup match.
   */
  async prepare(query: NormalizedQuery, model: CompiledModel): Promise<void> {
    const arrived = this.now();
    try {
      await Promise.all([this.reloadState(), this.staleBuilds.refresh(model, query.renewQuery ? arrived : undefined)]);
      const wanted = this.tailWanted(query, model);
      if (wanted) await this.refreshTail(model, wanted.preAgg, query.timezone, wanted.from, query.renewQuery ? arrived : undefined);
    } catch (e) {
      this.log(`pre-aggregation prepare failed: ${(e as Error).message}`);
    }
  }

  /**
   * The lambda tail the matcher would read for `query` were every tail fresh: the match with a
   * stand-in for each tail is the match once the tail is read (candidates go in definition
   * order, and a tail is the only thing a lambda can lack). A query a batch rollup or the source
   * answers needs no tail, so it never waits on a source read for one (the Overview's views and
   * top pages did, ~330 ms each at 100k events, for the realtime lambda they never used).
   */
  private tailWanted(query: NormalizedQuery, model: CompiledModel): { preAgg: PreAggregation; from: string } | undefined {
    const asked = new Map<string, string>();
    const state = this.state(model);
    const probe = matchPreAggregation(query, model, {
      ...state,
      tail: (pa, _tz, from) => { asked.set(pa, from); return `${TAIL_STAND_IN}${pa}`; },
    });
    const standIn = probe?.tables.find((t) => t.includes(TAIL_STAND_IN));
    if (!standIn) return undefined;
    const path = standIn.slice(standIn.indexOf(TAIL_STAND_IN) + TAIL_STAND_IN.length);
    const preAgg = model.preAggregations.get(path);
    const from = asked.get(path);
    return preAgg && from ? { preAgg, from } : undefined;
  }

  /** `readSince`: the tail must be read from the source at or after this time (renewQuery). */
  private refreshTail(model: CompiledModel, pa: PreAggregation, tz: string, from: string, readSince?: number): Promise<void> {
    const key = `${pa.path}|${tz}`;
    const cur = this.tails.get(key);
    // A read that began just before (the other cards of the same poll) is shared: those cards then
    // show one snapshot, and one poll costs one source read per lambda rather than one per card.
    if (cur?.pending && (readSince === undefined || (cur.pendingSince ?? 0) >= readSince - SHARED_READ_MS)) return cur.pending;
    if (cur?.pending) return cur.pending.catch(() => undefined).then(() => this.refreshTail(model, pa, tz, from, readSince));
    if (cur && cur.from === from && this.now() - cur.builtAt < (this.o.tailTtlMs ?? 1000)
      && (readSince === undefined || cur.builtAt >= readSince)) return Promise.resolve();
    const started = this.now();
    const pending = (async () => {
      const cols = rollupColumns(model, pa);
      const rows = await rollupRows({ source: this.o.source, model, preAgg: pa, timezone: tz, range: { start: from, end: '9999-12-31T23:59:59.999' } });
      const cells = rows.map((r) => cols.map((c) => {
        const v = toCell(r[c.member]);
        if (v === null) return null;
        if (c.type === 'timestamp') return formatLocal(parseLocal(String(v)));
        return c.type === 'integer' || c.type === 'float' || c.type === 'decimal' ? Number(v) : v;
      }));
      const table = `wc_tail_${createHash('sha256').update(key).digest('hex').slice(0, 10)}_${started}_${Math.floor(Math.random() * 1e6)}`;
      await loadTable(this.o.store, { schema: this.o.config.schema, table, columns: cols, rows: batches(cells, this.o.config.batchSize) });
      const old = this.tails.get(key);
      this.tails.set(key, { table, from, builtAt: started });
      if (old && old.table) this.dropLater(old.table);
    })().catch((e) => {
      const t = this.tails.get(key);
      if (t) { t.pending = undefined; t.pendingSince = undefined; }
      throw e;
    });
    if (cur) { cur.pending = pending; cur.pendingSince = started; } else this.tails.set(key, { table: '', from: '', builtAt: 0, pending, pendingSince: started });
    return pending;
  }

  private dropLater(table: string): void {
    const t = setTimeout(() => {
      this.timers.delete(t);
      // A table that cannot be dropped only costs disk, but the user should learn why it stays.
      this.o.store.dropTable(this.o.config.schema, table).catch((e: unknown) => this.log(`could not drop the replaced pre-aggregation table ${table}: ${(e as Error).message}`));
    }, this.o.config.dropGraceSeconds * 1000);
    t.unref();
    this.timers.add(t);
  }

  /**
   * Plans the partitions the selector covers; `force` marks all of them for rebuild. `types`
   * limits it to original_sql or rollups (a refresh builds the former first).
   */
  async plan(sel: RefreshSelector = {}, types: readonly PreAggregation['type'][] = ['originalSql', 'rollup']): Promise<PlannedBuild[]> {
    const model = this.o.getModel();
    const out: PlannedBuild[] = [];
    // Selecting a rollup_lambda means building its batch rollup.
    const selected = sel.preAggregations?.flatMap((p) => [p, ...(model.preAggregations.get(p)?.rollups ?? [])]);
    const usesOriginalSql = [...model.preAggregations.values()].some((pa) => pa.useOriginalSqlPreAggregations);
    if (usesOriginalSql && types.includes('rollup')) await this.reloadState(true);
    const sqlCache = new Map<string, string>();
    for (const pa of model.preAggregations.values()) {
      if (!types.includes(pa.type) || (pa.type !== 'rollup' && pa.type !== 'originalSql')) continue;
      if (pa.type === 'originalSql' && !this.o.sourceTables) continue;
      if (selected ? !selected.includes(pa.path) : !pa.scheduledRefresh && !sel.cubes) continue;
      if (sel.cubes && !sel.cubes.includes(pa.cube)) continue;
      const original = pa.type === 'originalSql';
      for (const tz of original ? [ORIGINAL_SQL_TZ] : sel.timezones ?? this.o.config.refreshTimezones) {
        const plans = await planPartitions(model, original ? asPartitioned(pa) : pa, tz, this.o.source, this.buildLog, {
          now: this.now(), lambdaLagMs: this.o.lambdaLagMs ?? 60_000, dateRange: sel.dateRange, sqlCache,
        });
        if (original && !sel.dateRange) {
          const end = plans.reduce((m, p) => (p.partition && p.partition.end > m ? p.partition.end : m), '');
          if (end) this.plannedEnds.set(pa.path, end);
        }
        for (let plan of plans) {
          if (!plan.reason && plan.current && pa.useOriginalSqlPreAggregations
              && this.newestOriginalSqlBuild(model, tz, plan.partition) > plan.current.builtAt) {
            plan = { ...plan, reason: 'original_sql rebuilt' };
          }
          if (!plan.reason && !sel.force && !sel.includeCurrent) continue;
          out.push({ preAgg: pa, timezone: tz, plan, key: `${pa.path}|${tz}|${plan.partition?.start ?? ''}` });
        }
      }
    }
    return out;
  }

  /** Queues one planned build; resolves with its build record. */
  build(p: PlannedBuild) {
    const model = this.o.getModel();
    return this.queue.enqueue(p.key, async () => {
      // A rollup built from original_sql partitions reads the source where they are stale.
      if (p.preAgg.useOriginalSqlPreAggregations) await this.staleBuilds.refresh(model);
      const rec = p.preAgg.type === 'originalSql'
        ? await buildOriginalSql({
          buildLog: this.buildLog, tables: this.o.sourceTables!, model, preAgg: p.preAgg, partition: p.plan.partition,
          refreshKey: p.plan.refreshKey, log: this.log, now: this.now(),
        })
        : await buildPartition({
          store: this.o.store, buildLog: this.buildLog, source: this.o.source, model, preAgg: p.preAgg,
          timezone: p.timezone, partition: p.plan.partition, dataUntil: p.plan.dataUntil, refreshKey: p.plan.refreshKey,
          batchSize: this.o.config.batchSize, log: this.log, now: this.now(),
          cubeSources: p.preAgg.useOriginalSqlPreAggregations ? this.cubeSources(model, p.timezone, p.plan.partition) : undefined,
        });
      await this.reloadState(true);
      return rec;
    });
  }

  /** One refresh pass: plan, build what changed, drop versions superseded long enough ago. */
  async refresh(sel: RefreshSelector = {}): Promise<BuildRecord[]> {
    // original_sql first: rollups that use it are built from (and rebuilt after) its partitions.
    const results: PromiseSettledResult<BuildRecord>[] = [];
    for (const types of [['originalSql'], ['rollup']] as const) {
      const planned = await this.plan(sel, types);
      results.push(...await Promise.allSettled(planned.map((p) => this.build(p).promise)));
    }
    const model = this.o.getModel();
    await this.buildLog.dropSuperseded(this.now() - this.o.config.dropGraceSeconds * 1000, (table, preAgg) =>
      (model.preAggregations.get(preAgg)?.type === 'originalSql' && this.o.sourceTables
        ? this.o.sourceTables.drop(table) : this.o.store.dropTable(this.o.config.schema, table)))
      .catch((e) => this.log(`dropping old pre-aggregation versions failed: ${(e as Error).message}`));
    await sweepTmpTables(this.o.store, this.o.config.schema, 3600_000, this.now())
      .catch((e) => this.log(`dropping stale temporary tables failed: ${(e as Error).message}`));
    await this.reloadState(true);
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed.length) throw new AggregateError(failed.map((f) => f.reason), `${failed.length} pre-aggregation build(s) failed: ${(failed[0]!.reason as Error).message}`);
    return results.map((r) => (r as PromiseFulfilledResult<BuildRecord>).value);
  }

  /** Runs SQL rendered against rollup tables on the store. */
  storeQuery(sql: string, params: readonly unknown[] = []): Promise<StoreRow[]> {
    return this.o.store.query(sql, params);
  }

  /**
   * The API's entry point for a rollup-served query: on a store failure (connection lost, a
   * version dropped under it) it marks the store unhealthy and answers through `fallback`
   * (the same query compiled for the source), so clients get correct data either way.
   */
  async query(sql: string, params: readonly unknown[], opts: { readonly fallback?: () => Promise<Record<string, unknown>[]> } = {}): Promise<Record<string, unknown>[]> {
    try {
      return await this.o.store.query(sql, params);
    } catch (e) {
      this.markUnhealthy(e);
      if (opts.fallback) return opts.fallback();
      throw e;
    }
  }

  /**
   * Runs a query compiled against a rollup on the store, with values shaped like the source's:
   * MySQL hands BOOLEAN (TINYINT) back as 0/1 once it went through UNION/GROUP BY.
   */
  async execute(compiled: {
    readonly sql: string; readonly params: readonly unknown[];
    readonly aliasToMember: Readonly<Record<string, string>>;
    readonly annotation?: { readonly dimensions?: Readonly<Record<string, { readonly type?: unknown }>>; readonly measures?: Readonly<Record<string, { readonly type?: unknown }>> };
  }): Promise<StoreRow[]> {
    let rows: StoreRow[];
    try {
      rows = await this.o.store.query(compiled.sql, compiled.params);
    } catch (e) {
      this.markUnhealthy(e);
      throw e;
    }
    const types = { ...compiled.annotation?.measures, ...compiled.annotation?.dimensions };
    const bools = Object.entries(compiled.aliasToMember).filter(([, m]) => types[m]?.type === 'boolean').map(([a]) => a);
    if (bools.length === 0) return rows;
    for (const r of rows) for (const a of bools) if (typeof r[a] === 'number') r[a] = r[a] !== 0;
    return rows;
  }

  /** Time of the newest build serving a match (or a pre-aggregation path), for Cube's `lastRefreshTime`. */
  lastRefreshTime(match: Pick<PreAggMatch, 'preAggregation'> | string): string | undefined {
    const name = typeof match === 'string' ? match : match.preAggregation;
    // A rollup_lambda is served by its batch rollup's builds.
    const path = matchCandidates(this.o.getModel()).find((c) => c.name === name)?.rollup.path ?? name;
    let t = 0;
    for (const [k, rs] of this.builds) if (k.startsWith(`${path}|`)) for (const r of rs) t = Math.max(t, r.builtAt);
    return t ? new Date(t).toISOString() : undefined;
  }

  async close(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    await this.queue.idle();
    await Promise.allSettled([...this.tails.values()].map((t) => t.pending));
    for (const t of this.tails.values()) if (t.table) await this.o.store.dropTable(this.o.config.schema, t.table).catch(() => undefined);
    this.tails.clear();
  }
}
