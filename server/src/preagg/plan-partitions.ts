// Decides which partitions of a rollup exist and which need a (re)build: the build range
// (build_range_start/end SQL, else the time dimension's data buckets), the lambda boundary,
// each partition's refresh key, and what the build log already holds.
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { BuildLog, BuildRecord } from './build-log.ts';
import { structureVersion } from './build-partition.ts';
import { isLambdaBatch } from './candidates.ts';
import { evaluateRefreshKey, FROZEN, plainSql } from './refresh-key.ts';
import type { SourceEngine } from './source-engine.ts';
import { toCell } from './stores/duckdb.ts';
import {
  formatLocal, localToUtcMs, nowInZone, parseLocal, partitionRanges, truncate, type Granularity, type LocalRange,
} from './time.ts';

export interface PartitionPlan {
  readonly partition?: LocalRange;
  readonly dataUntil: string;
  readonly refreshKey: string;
  /** Why it needs building, or null when the current build is up to date. */
  readonly reason: string | null;
  readonly current?: BuildRecord;
}

export interface PlanOptions {
  readonly now: number;
  /** Lambda boundary lag: buckets newer than now − lag are read from the source at query time. */
  readonly lambdaLagMs: number;
  /** Restricts partitions to this local range (jobs API `dateRange`). */
  readonly dateRange?: readonly [string, string];
  /** Refresh key SQL answers shared by the pre-aggregations of one pass (the shipped ones share one key). */
  readonly sqlCache?: Map<string, string>;
}

async function scalar(source: SourceEngine, sql: string): Promise<string | null> {
  const rows = await source.sql(sql);
  const v = rows[0] ? toCell(Object.values(rows[0])[0]) : null;
  return v === null ? null : formatLocal(parseLocal(String(v)));
}

/** The lambda boundary: start of the rollup bucket holding `now − lag` in `tz`. */
export function lambdaBoundary(pa: PreAggregation, lambda: boolean, tz: string, now: number, lagMs: number): string {
  const td = pa.timeDimensions[0];
  if (!lambda || !td) return '';
  return formatLocal(truncate(nowInZone(tz, new Date(now - lagMs)), td.granularity as Granularity));
}

/** Default build ranges (a grouped scan of the time dimension) are reused this long. */
const RANGE_TTL_MS = 5 * 60_000;
/** Explicit build_range SQL may move with NOW() but is shared by many pre-aggregations of a
 *  model (one refresh pass evaluates it once per pass, not once per pre-aggregation). */
const EXPLICIT_RANGE_TTL_MS = 20_000;
const rangeCache = new WeakMap<SourceEngine, Map<string, { at: number; range: [string, string] | null }>>();

async function cachedBuildRange(pa: PreAggregation, tz: string, source: SourceEngine, now: number): Promise<[string, string] | null> {
  const explicit = pa.buildRangeStart && pa.buildRangeEnd;
  let m = rangeCache.get(source);
  if (!m) rangeCache.set(source, (m = new Map()));
  const key = explicit
    ? `sql|${tz}|${plainSql(pa.buildRangeStart!.sql, 'build_range_start')}|${plainSql(pa.buildRangeEnd!.sql, 'build_range_end')}`
    : `${pa.path}|${tz}|${JSON.stringify(pa.timeDimensions)}|${pa.partitionGranularity}`;
  const hit = m.get(key);
  if (hit && now - hit.at < (explicit ? EXPLICIT_RANGE_TTL_MS : RANGE_TTL_MS) && now >= hit.at) return hit.range;
  const range = await buildRange(pa, tz, source);
  // An empty source is not remembered: the first events must reach the rollups at the next
  // pass, not when the cached "no data" expires.
  if (range) m.set(key, { at: now, range });
  else m.delete(key);
  return range;
}

async function buildRange(pa: PreAggregation, tz: string, source: SourceEngine): Promise<[string, string] | null> {
  const td = pa.timeDimensions[0]!;
  const pg = pa.partitionGranularity!;
  let start = pa.buildRangeStart ? await scalar(source, plainSql(pa.buildRangeStart.sql, 'build_range_start')) : null;
  let end = pa.buildRangeEnd ? await scalar(source, plainSql(pa.buildRangeEnd.sql, 'build_range_end')) : null;
  if (!start || !end) {
    // Cube's default range is the time dimension's min..max; one grouped pass gives both.
    const rows = await source.load({ measures: [], dimensions: [], segments: [], timezone: tz,
      timeDimensions: [{ dimension: td.dimension, granularity: pg }] });
    const keys = rows.map((r) => toCell(r[`${td.dimension}.${pg}`])).filter((v) => v !== null).map((v) => formatLocal(parseLocal(String(v)))).sort();
    if (keys.length === 0) return null;
    start ??= keys[0]!;
    end ??= keys[keys.length - 1]!;
  }
  return [start, end];
}

const instantAfter = (local: string) => formatLocal(new Date(parseLocal(local).getTime() + 1));
/** Whether a build up to `dataUntil` holds all of partition `p` ('' = no limit). */
const holdsAll = (p: LocalRange | undefined, dataUntil: string) => dataUntil === '' || (p !== undefined && dataUntil > p.end);

export async function planPartitions(
  model: CompiledModel, pa: PreAggregation, tz: string, source: SourceEngine, buildLog: BuildLog, o: PlanOptions,
): Promise<PartitionPlan[]> {
  const sv = structureVersion(model, pa);
  const live = (await buildLog.list(pa.path)).filter((r) => r.timezone === tz && r.structureVersion === sv);
  const latest = new Map<string, BuildRecord>();
  for (const r of live) if (!latest.has(r.partitionStart)) latest.set(r.partitionStart, r); // newest first
  const boundary = lambdaBoundary(pa, isLambdaBatch(model, pa), tz, o.now, o.lambdaLagMs);
  const sqlCache = o.sqlCache ?? new Map<string, string>();

  let parts: (LocalRange | undefined)[] = [undefined];
  if (pa.partitionGranularity && pa.timeDimensions[0]) {
    const range = await cachedBuildRange(pa, tz, source, o.now);
    if (!range) return [];
    let [from, to] = range;
    if (boundary && boundary > to) to = boundary;
    if (o.dateRange) {
      if (o.dateRange[0] > from) from = o.dateRange[0];
      if (o.dateRange[1] < to) to = o.dateRange[1];
    }
    parts = from <= to ? partitionRanges(from, to, pa.partitionGranularity) : [];
    // Partitions wholly after the lambda boundary are served live from the source.
    if (boundary) parts = parts.filter((p) => p!.start < boundary);
  }

  const plans: PartitionPlan[] = [];
  for (const p of parts) {
    const endUtc = p ? localToUtcMs(parseLocal(p.end), tz) : undefined;
    const key = await evaluateRefreshKey(pa.refreshKey, source, { now: o.now, partitionEndUtcMs: endUtc, sqlCache });
    // The partition the boundary falls in, or that ends where it starts (all its data built, the
    // live tail begins at its end), carries the boundary: queries read the source from there.
    const dataUntil = boundary && (!p || p.end >= boundary || instantAfter(p.end) === boundary) ? boundary : '';
    const current = latest.get(p?.start ?? '');
    let reason: string | null = null;
    if (!current) reason = 'not built';
    else if (current.dataUntil !== dataUntil && !(holdsAll(p, current.dataUntil) && holdsAll(p, dataUntil))) reason = 'lambda boundary moved';
    else if (key !== FROZEN && current.refreshKey !== key && current.refreshKey !== FROZEN) reason = 'refresh key changed';
    // A frozen partition keeps the key of its last build so later passes compare against it.
    const refreshKey = key === FROZEN ? current?.refreshKey ?? FROZEN : key;
    plans.push({ partition: p, dataUntil, refreshKey, reason, current });
  }
  return plans;
}
