// original_sql pre-aggregations (Cube's `type: original_sql`): the cube's own SQL materialised
// per partition of its `time_dimension` (UTC buckets of `partition_granularity`), and which
// built partitions may stand in for the cube's SQL. Cube substitutes them for every query no
// rollup serves (BaseQuery.cubeSql) and, with `use_original_sql_pre_aggregations`, in rollup
// builds. We do the same whenever the built partitions cover the query's range without a hole,
// so such an answer is as fresh as the last refresh: the refresh key's `every` bounds the lag
// (the shipped schema refreshes the open partitions every minute).
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { BindsValues } from '../planner/types.ts';
import { localToUtc } from '../query/time-zone.ts';
import { createRenderContext } from '../sql/create-render-context.ts';
import { getDialect } from '../sql/get-dialect.ts';
import { whereConditions } from '../sql/render-clauses.ts';
import { cubeAlias } from '../sql/render-context.ts';
import { cubeTable } from '../sql/render-from.ts';
import { Params } from '../sql/params.ts';
import type { BuildRecord } from './build-log.ts';
import { versionHash } from './naming.ts';
import { formatLocal, parseLocal, type LocalRange } from './time.ts';

/** Partitions are UTC buckets: the rows do not depend on a time zone, only the cut does. */
export const ORIGINAL_SQL_TZ = 'UTC';

/** The first original_sql pre-aggregation of each cube (Cube's findPreAggregationToUseForCube). */
export function originalSqlByCube(model: CompiledModel): Map<string, PreAggregation> {
  const out = new Map<string, PreAggregation>();
  for (const pa of model.preAggregations.values()) if (pa.type === 'originalSql' && !out.has(pa.cube)) out.set(pa.cube, pa);
  return out;
}

/** Changes whenever the cube's SQL or the partitioning changes, so old tables are not reused. */
export function originalSqlStructureVersion(model: CompiledModel, pa: PreAggregation): string {
  const cube = model.cubes.get(pa.cube);
  return versionHash(cube?.sql ?? null, cube?.sqlTable ?? null, pa.timeDimension ?? null, pa.partitionGranularity ?? null, pa.type);
}

/** The partition view of an original_sql pre-aggregation, so the rollup partition planner applies. */
export function asPartitioned(pa: PreAggregation): PreAggregation {
  if (!pa.timeDimension || !pa.partitionGranularity) return pa;
  return { ...pa, timeDimensions: [{ dimension: pa.timeDimension, granularity: pa.partitionGranularity }] };
}

/** `SELECT cube.* FROM (cube sql) AS cube [WHERE time_dimension in the UTC range]`, in the source dialect. */
export function originalSqlSelect(model: CompiledModel, pa: PreAggregation, dialect: string, range?: LocalRange): { sql: string; params: unknown[] } {
  const d = getDialect(dialect);
  const params = new Params();
  return params.finalize(renderOriginalSqlSelect(model, pa, dialect, range, params), (n) => d.placeholder(n));
}

/** The same SELECT with its values bound in `params` (the tokens of an enclosing query's render). */
export function renderOriginalSqlSelect(model: CompiledModel, pa: PreAggregation, dialect: string, range: LocalRange | undefined, params: BindsValues): string {
  const d = getDialect(dialect);
  const query: NormalizedQuery = {
    measures: [], dimensions: [], segments: [], filters: [], order: [], limit: 0, total: false, timezone: ORIGINAL_SQL_TZ,
    ungrouped: true, renewQuery: false, queryType: 'regularQuery', defaultOrder: true,
    // The range also reaches the cube's FILTER_PARAMS on the time dimension (partition pruning).
    timeDimensions: range && pa.timeDimension ? [{ dimension: pa.timeDimension, dateRange: [range.start, range.end] }] : [],
  };
  // Rendering only adds values; the enclosing query's Params numbers them when it is finalised.
  const ctx = { ...createRenderContext({ model, dialect: d, query }), params: params as Params };
  const alias = cubeAlias(ctx, pa.cube);
  const { where } = whereConditions(ctx, query);
  return `SELECT ${alias}.* FROM ${cubeTable(ctx, pa.cube)} AS ${alias}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}`;
}

/**
 * The built partitions holding the cube's rows in the UTC range [from, to] (the whole table
 * without a range), or null when one is missing.
 */
export function coveringOriginalSql(pa: PreAggregation, builds: readonly BuildRecord[], utcRange: readonly [string, string] | undefined,
  plannedEnd?: string): BuildRecord[] | null {
  const latest = new Map<string, BuildRecord>();
  for (const b of builds) if (!latest.has(b.partitionStart)) latest.set(b.partitionStart, b); // newest first
  let chosen: BuildRecord[];
  if (!pa.partitionGranularity) {
    const b = latest.get('');
    if (!b) return null;
    chosen = [b];
  } else {
    const parts = [...latest.values()].filter((b) => b.partitionStart !== '').sort((a, b) => a.partitionStart.localeCompare(b.partitionStart));
    if (parts.length === 0) return null;
    // No holes: each partition starts right after the previous one ends.
    for (let i = 1; i < parts.length; i++) {
      if (parseLocal(parts[i]!.partitionStart).getTime() !== parseLocal(parts[i - 1]!.partitionEnd).getTime() + 1) return null;
    }
    // The build range starts at the first row, so nothing precedes the first partition. Past the
    // last one lies no data when it ends the build range (`plannedEnd`, the last refresh plan's;
    // a month's rollup partition reaches past the last day of data) or held its build time
    // (past it lay only the future). Otherwise a refresh is still under way (oldest partitions
    // first), and the days after it must come from the source, not from an empty table. Rows
    // newer than the builds are stale-builds.ts's concern.
    const last = parts[parts.length - 1]!;
    const complete = (plannedEnd !== undefined && last.partitionEnd >= plannedEnd) || last.partitionEnd >= formatLocal(new Date(last.builtAt));
    if (utcRange && utcRange[1] > last.partitionEnd && !complete) return null;
    if (!utcRange) chosen = parts;
    else {
      chosen = parts.filter((b) => b.partitionEnd >= utcRange[0] && b.partitionStart <= utcRange[1]);
      if (chosen.length === 0) chosen = [parts[0]!];
    }
  }
  return chosen;
}

/** The query's date range on the pre-aggregation's time dimension, in UTC; undefined when unbounded. */
export function queryUtcRange(query: NormalizedQuery, model: CompiledModel, pa: PreAggregation): [string, string] | undefined {
  for (const td of query.timeDimensions) {
    let path = td.dimension;
    for (let i = 0; i < 8; i++) {
      const a = model.members.get(path)?.aliasOf?.member;
      if (!a) break;
      path = a;
    }
    if (path === pa.timeDimension && td.dateRange) {
      return [localToUtc(td.dateRange[0], query.timezone), localToUtc(td.dateRange[1], query.timezone)];
    }
  }
  return undefined;
}

/** The end of time for a source read with no upper bound. */
const OPEN_END = '9999-12-31T23:59:59.999';

/**
 * The covering partitions split where newer data made them stale (stale-builds.ts): the built
 * ones before that point, and the UTC instant from which the cube's own SQL must be read
 * instead. A range past the last partition reads the source there when the last partition is
 * stale (the data that arrived may be on a later day). `sourceFrom` undefined: all built ones
 * serve; `built` empty: the cube's SQL serves the whole range.
 */
export function splitStale(pa: PreAggregation, cover: readonly BuildRecord[], allBuilds: readonly BuildRecord[],
  utcRange: readonly [string, string] | undefined, isStale: (b: BuildRecord) => boolean): { built: BuildRecord[]; sourceFrom?: string } {
  if (!pa.partitionGranularity) return cover.some(isStale) ? { built: [], sourceFrom: '' } : { built: [...cover] };
  const sorted = [...cover].sort((a, b) => a.partitionStart.localeCompare(b.partitionStart));
  const first = sorted.findIndex(isStale);
  if (first >= 0) return { built: sorted.slice(0, first), sourceFrom: sorted[first]!.partitionStart };
  let last: BuildRecord | undefined;
  for (const b of allBuilds) if (b.partitionStart !== '' && (!last || b.partitionStart > last.partitionStart)) last = b;
  if (last && utcRange && utcRange[1] > last.partitionEnd && isStale(last)) {
    const after = formatLocal(new Date(parseLocal(last.partitionEnd).getTime() + 1));
    // Only partitions before that point hold rows of the range: the ones the range overlaps.
    const built = sorted.filter((b) => b.partitionEnd >= utcRange[0]);
    return { built, sourceFrom: after };
  }
  return { built: sorted };
}

/**
 * The cube's rows read from its own SQL from `sourceFrom` (UTC) to the end of `utcRange`, for
 * the union with the built partitions before it.
 */
export function staleRowsRenderer(model: CompiledModel, pa: PreAggregation, dialect: string, sourceFrom: string,
  utcRange: readonly [string, string] | undefined): (params: BindsValues) => string {
  const end = utcRange && utcRange[1] < OPEN_END ? utcRange[1] : OPEN_END;
  return (params) => renderOriginalSqlSelect(model, pa, dialect, { start: sourceFrom, end }, params);
}
