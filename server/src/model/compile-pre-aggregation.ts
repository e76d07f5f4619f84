// Parses and validates a `pre_aggregations` entry (Cube's CubeValidator rules) into the typed
// definition the pre-aggregation engineer builds, refreshes and matches queries against.
import type { ErrorReporter } from './error-reporter.ts';
import type { Item } from './merge-extends.ts';
import { checkInterval, checkKeys, enumValue, optBool, optString } from './member-props.ts';
import { isRecord } from './normalize-props.ts';
import type { ValueReader } from './raw-types.ts';
import { resolveJoinPathMember, resolveMemberPath, resolveTemplate, type ResolveContext } from './resolve-template.ts';
import type { Granularity, Member, PreAggregation, PreAggregationType, RefreshKey } from './types.ts';

export const GRANULARITIES: readonly Granularity[] = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'];
const PARTITION_GRANULARITIES: readonly Granularity[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];
const TYPES: readonly PreAggregationType[] = ['rollup', 'originalSql', 'rollupJoin', 'rollupLambda', 'autoRollup'];
const KEYS = new Set([
  'name', 'type', 'measures', 'dimensions', 'segments', 'timeDimension', 'granularity', 'timeDimensions',
  'partitionGranularity', 'refreshKey', 'buildRangeStart', 'buildRangeEnd', 'refreshRangeStart', 'refreshRangeEnd',
  'indexes', 'scheduledRefresh', 'external', 'unionWithSourceData', 'rollups', 'sqlAlias',
  'allowNonStrictDateRangeMatch', 'useOriginalSqlPreAggregations', 'uniqueKeyColumns', 'readOnly',
  'measureReferences', 'dimensionReferences', 'segmentReferences', 'timeDimensionReference', 'rollupReferences',
  'outputColumnTypes', 'streamOffset', 'maxPreAggregations',
]);
const REFRESH_KEYS = new Set(['every', 'sql', 'timezone', 'immutable', 'incremental', 'updateWindow']);
const LEGACY: Record<string, string> = {
  measureReferences: 'measures', dimensionReferences: 'dimensions', segmentReferences: 'segments',
  timeDimensionReference: 'timeDimension', rollupReferences: 'rollups', refreshRangeStart: 'buildRangeStart', refreshRangeEnd: 'buildRangeEnd',
};

export interface PreAggregationContext {
  readonly resolve: ResolveContext;
  readonly reporter: ErrorReporter;
  readonly member: (path: string) => Member | undefined;
  readonly preAggregationExists: (path: string) => boolean;
}

export function compilePreAggregation(item: Item, ctx: PreAggregationContext): PreAggregation | undefined {
  const cube = ctx.resolve.cube;
  try {
    return build(item, ctx);
  } catch (e) {
    ctx.reporter.report(item.origin, ['preAggregations', item.name], (e as Error).message, `${cube}.pre_aggregations.${item.name}`);
    return undefined;
  }
}

function build(item: Item, ctx: PreAggregationContext): PreAggregation {
  const { resolve } = ctx;
  const reader = item.origin.reader;
  const p: Record<string, unknown> = { ...item.props };
  checkKeys(p, KEYS, 'pre-aggregation');
  for (const [legacy, modern] of Object.entries(LEGACY)) {
    if (p[legacy] === undefined) continue;
    if (p[modern] !== undefined) throw new Error(`Use either '${legacy}' or '${modern}', not both`);
    p[modern] = p[legacy];
  }
  const type = p.type === undefined ? 'rollup' : enumValue(p.type, TYPES, 'pre-aggregation type');
  // Members given as join paths (`orders.users.city`) build the rollup over that route.
  const joinHints: string[][] = [];
  const refs = (key: string, kind: Member['kind']): string[] => {
    if (p[key] === undefined) return [];
    return reader.refs(p[key]).map((r) => {
      const { member: path, joinPath } = resolveJoinPathMember(r, resolve);
      if (joinPath) joinHints.push(joinPath);
      const m = ctx.member(path);
      if (m && m.kind !== kind) throw new Error(`'${path}' in ${key} is a ${m.kind}, not a ${kind}`);
      return path;
    });
  };
  const granularityOf = (dimension: string, g: unknown): string => {
    const dim = ctx.member(dimension);
    if (dim && (dim.kind !== 'dimension' || dim.type !== 'time')) throw new Error(`'${dimension}' is not a time dimension`);
    const custom = dim?.kind === 'dimension' ? dim.granularities.map((x) => x.name) : [];
    if (typeof g !== 'string' || !(GRANULARITIES.includes(g as Granularity) || custom.includes(g))) {
      throw new Error(`Invalid granularity '${String(g)}' for '${dimension}'; expected one of ${[...GRANULARITIES, ...custom].join(', ')}`);
    }
    return g;
  };
  const timeDimensions: { dimension: string; granularity: string }[] = [];
  const timeDimensionRef = p.timeDimension === undefined ? undefined : resolveJoinPathMember(reader.ref(p.timeDimension), resolve);
  if (timeDimensionRef?.joinPath) joinHints.push(timeDimensionRef.joinPath);
  const timeDimension = timeDimensionRef?.member;
  if (timeDimension !== undefined && type === 'originalSql') {
    // original_sql partitions the cube's own SQL by this column; there is no granularity.
    granularityOf(timeDimension, 'day');
    if (p.partitionGranularity === undefined) throw new Error(`An original_sql pre-aggregation with 'time_dimension' needs 'partition_granularity'`);
  } else if (timeDimension !== undefined) {
    if (p.granularity === undefined) throw new Error(`'time_dimension' needs 'granularity'`);
    timeDimensions.push({ dimension: timeDimension, granularity: granularityOf(timeDimension, p.granularity) });
  } else if (p.granularity !== undefined) throw new Error(`'granularity' needs 'time_dimension'`);
  if (p.timeDimensions !== undefined) {
    if (!Array.isArray(p.timeDimensions)) throw new Error(`'time_dimensions' must be a list of {dimension, granularity}`);
    for (const td of p.timeDimensions) {
      if (!isRecord(td)) throw new Error(`'time_dimensions' items must be {dimension, granularity}`);
      const { member: dimension, joinPath } = resolveJoinPathMember(reader.ref(td.dimension), resolve);
      if (joinPath) joinHints.push(joinPath);
      timeDimensions.push({ dimension, granularity: granularityOf(dimension, td.granularity) });
    }
  }
  const partitionGranularity = p.partitionGranularity === undefined ? undefined
    : enumValue(p.partitionGranularity, PARTITION_GRANULARITIES, 'partition_granularity');
  if (partitionGranularity && timeDimension === undefined && timeDimensions.length === 0) {
    throw new Error(`'partition_granularity' needs a 'time_dimension'`);
  }
  const rollups = p.rollups === undefined ? [] : reader.refs(p.rollups).map((r) => {
    const path = r.length === 1 || r[0] === 'CUBE' ? `${resolve.cube}.${r[r.length - 1]}` : r.join('.');
    if (!ctx.preAggregationExists(path)) throw new Error(`Unknown pre-aggregation '${path}' in rollups`);
    return path;
  });
  if ((type === 'rollupJoin' || type === 'rollupLambda') && rollups.length === 0) throw new Error(`A ${type} pre-aggregation needs 'rollups'`);
  const range = (key: string): { sql: ReturnType<typeof resolveTemplate> } | undefined => {
    const v = p[key];
    if (v === undefined) return undefined;
    if (!isRecord(v) || v.sql === undefined) throw new Error(`'${key}' must be {sql}`);
    return { sql: resolveTemplate(reader.sql(v.sql), resolve) };
  };
  const out: PreAggregation = {
    name: item.name,
    cube: resolve.cube,
    path: `${resolve.cube}.${item.name}`,
    type,
    measures: refs('measures', 'measure'),
    dimensions: refs('dimensions', 'dimension'),
    segments: refs('segments', 'segment'),
    timeDimensions,
    timeDimension: timeDimension ?? timeDimensions[0]?.dimension,
    partitionGranularity,
    refreshKey: p.refreshKey === undefined ? undefined : compileRefreshKey(p.refreshKey, reader, resolve),
    buildRangeStart: range('buildRangeStart'),
    buildRangeEnd: range('buildRangeEnd'),
    indexes: compileIndexes(p.indexes, item, resolve),
    scheduledRefresh: optBool(p.scheduledRefresh, 'scheduled_refresh') ?? type !== 'rollupJoin',
    // Our stores are all "external" to the source engine; original_sql stays in the source.
    external: optBool(p.external, 'external') ?? type !== 'originalSql',
    unionWithSourceData: optBool(p.unionWithSourceData, 'union_with_source_data') ?? false,
    rollups,
    sqlAlias: optString(p.sqlAlias, 'sql_alias'),
    allowNonStrictDateRangeMatch: optBool(p.allowNonStrictDateRangeMatch, 'allow_non_strict_date_range_match') ?? false,
    useOriginalSqlPreAggregations: optBool(p.useOriginalSqlPreAggregations, 'use_original_sql_pre_aggregations') ?? false,
    uniqueKeyColumns: p.uniqueKeyColumns === undefined ? undefined : stringList(p.uniqueKeyColumns, 'unique_key_columns'),
    location: { file: item.origin.file, line: item.origin.lineOf(['preAggregations', item.name]) },
    ...(joinHints.length ? { joinHints } : {}),
  };
  if (out.sqlAlias !== undefined && !/^[_a-zA-Z][_a-zA-Z0-9]*$/.test(out.sqlAlias)) throw new Error(`Invalid sql_alias '${out.sqlAlias}'`);
  if (type === 'rollup' && out.measures.length + out.dimensions.length + timeDimensions.length === 0) {
    throw new Error(`A rollup needs at least one of measures, dimensions or time_dimension`);
  }
  return out;
}

export function compileRefreshKey(value: unknown, reader: ValueReader, resolve: ResolveContext): RefreshKey {
  if (!isRecord(value)) throw new Error(`'refresh_key' must be an object`);
  checkKeys(value, REFRESH_KEYS, 'refresh_key');
  if (value.every !== undefined && typeof value.every !== 'string') throw new Error(`'refresh_key.every' must be a string`);
  if (typeof value.every === 'string' && !isCron(value.every)) checkInterval(value.every, 'refresh_key.every');
  const key: RefreshKey = {
    every: value.every as string | undefined,
    sql: value.sql === undefined ? undefined : resolveTemplate(reader.sql(value.sql), resolve),
    timezone: optString(value.timezone, 'refresh_key.timezone'),
    immutable: optBool(value.immutable, 'refresh_key.immutable'),
    incremental: optBool(value.incremental, 'refresh_key.incremental'),
    updateWindow: value.updateWindow === undefined ? undefined : checkInterval(value.updateWindow, 'refresh_key.update_window'),
  };
  if (!key.every && !key.sql && !key.immutable) throw new Error(`'refresh_key' needs 'every', 'sql' or 'immutable'`);
  return key;
}

const isCron = (s: string): boolean => s.trim().split(/\s+/).length >= 5 && /^[\d*/,\-?LW#A-Z\s]+$/i.test(s) && /[*]/.test(s);

function compileIndexes(value: unknown, item: Item, resolve: ResolveContext): PreAggregation['indexes'] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new Error(`'indexes' must be a map or list of {columns}`);
  return value.map((ix) => {
    if (!isRecord(ix) || typeof ix.name !== 'string') throw new Error(`each index needs a name`);
    if (ix.columns === undefined) throw new Error(`index '${ix.name}' needs 'columns'`);
    const cols: unknown[] = typeof ix.columns === 'function' ? (ix.columns as () => unknown[])() : ix.columns as unknown[];
    if (!Array.isArray(cols) || cols.length === 0) throw new Error(`index '${ix.name}': 'columns' must be a non-empty list`);
    const columns = cols.map((c) => {
      try { return resolveMemberPath(item.origin.reader.ref(c), resolve); } catch { /* a raw column name */ }
      if (typeof c !== 'string') throw new Error(`index '${ix.name}': invalid column`);
      return c;
    });
    const type = ix.type === undefined ? 'regular' : enumValue(ix.type, ['regular', 'aggregate'] as const, 'index type');
    return { name: ix.name, columns, type };
  });
}

function stringList(value: unknown, key: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) throw new Error(`'${key}' must be a list of strings`);
  return value;
}
