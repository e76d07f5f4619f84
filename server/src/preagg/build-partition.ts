// Builds one partition (or the whole table) of a rollup: asks the source engine for the
// rollup's own query over the partition range, moves the rows into the store in batches,
// swaps the new version in and supersedes the old one.
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { BuildLog, BuildRecord } from './build-log.ts';
import { loadTable, batches } from './load-table.ts';
import { preAggTableName, tableBaseName, partitionSuffix, versionHash } from './naming.ts';
import { rollupColumns, columnName, type RollupColumn } from './rollup-columns.ts';
import type { SourceEngine, SourceQuery, SourceRow } from './source-engine.ts';
import type { Cell, PreAggStore } from './stores/types.ts';
import { toCell } from './stores/duckdb.ts';
import { formatLocal, parseLocal, type LocalRange } from './time.ts';
import { originalSqlStructureVersion } from './original-sql.ts';
import { rollupRows, sketchMeasures } from './rollup-rows.ts';
import { HLL_P } from '../sql/hll-estimate.ts';
import type { CubeSource } from '../sql/render-context.ts';

export interface BuildPartitionInput {
  readonly store: PreAggStore;
  readonly buildLog: BuildLog;
  readonly source: SourceEngine;
  readonly model: CompiledModel;
  readonly preAgg: PreAggregation;
  readonly timezone: string;
  /** Local range to build; absent for an unpartitioned rollup. */
  readonly partition?: LocalRange;
  /** Exclusive local end of the data this build holds (lambda boundary); '' for no limit. */
  readonly dataUntil: string;
  readonly refreshKey: string;
  readonly batchSize: number;
  readonly log?: (msg: string) => void;
  readonly now?: number;
  readonly signal?: AbortSignal;
  /** use_original_sql_pre_aggregations: cube → FROM reading its built original_sql partitions. */
  readonly cubeSources?: Readonly<Record<string, CubeSource>>;
}

/** Hash of everything that shapes the table: its columns, indexes and the rollup definition. */
export function structureVersion(model: CompiledModel, pa: PreAggregation): string {
  if (pa.type === 'originalSql') return originalSqlStructureVersion(model, pa);
  const sketched = sketchMeasures(model, pa).length > 0;
  // Time members among the dimensions were once stored in the build's zone; now as stored (Cube).
  const rawTime = pa.dimensions.some((d) => { const m = model.members.get(d); return m?.kind === 'dimension' && m.type === 'time'; });
  return versionHash(rollupColumns(model, pa), pa.indexes, pa.measures, pa.dimensions, pa.segments, pa.timeDimensions,
    pa.partitionGranularity ?? null, pa.type, ...(sketched ? [`hll-p${HLL_P}`] : []), ...(pa.joinHints?.length ? [pa.joinHints] : []),
    ...(rawTime ? ['raw-time-as-stored'] : []));
}

export function rollupQuery(model: CompiledModel, pa: PreAggregation, timezone: string, range?: LocalRange,
  cubeSources?: Readonly<Record<string, CubeSource>>): SourceQuery {
  return {
    ...(cubeSources && Object.keys(cubeSources).length ? { cubeSources } : {}),
    // The measure columns, so an avg is loaded as its sum and count parts.
    measures: rollupColumns(model, pa).filter((c) => c.role === 'measure').map((c) => c.member),
    // Sketch rows (count_distinct_approx) are separate queries: rollup-rows.ts.
    dimensions: pa.dimensions,
    segments: pa.segments,
    ...(pa.joinHints?.length ? { joinHints: pa.joinHints } : {}),
    timeDimensions: pa.timeDimensions.map((td, i) => ({
      dimension: td.dimension,
      granularity: td.granularity,
      ...(i === 0 && range ? { dateRange: [range.start, range.end] as const } : {}),
    })),
    timezone,
  };
}

function toCells(rows: readonly SourceRow[], cols: readonly RollupColumn[]): Cell[][] {
  return rows.map((r) => cols.map((c) => {
    const v = toCell(r[c.member]);
    if (v === null) return null;
    if (c.type === 'integer' || c.type === 'float' || c.type === 'decimal') return typeof v === 'number' ? v : Number(v);
    if (c.type === 'timestamp') return formatLocal(parseLocal(String(v)));
    return v;
  }));
}

export async function buildPartition(i: BuildPartitionInput): Promise<BuildRecord> {
  const pa = i.preAgg;
  const cols = rollupColumns(i.model, pa);
  const sv = structureVersion(i.model, pa);
  const cv = versionHash(sv, i.timezone, i.partition ?? null, i.dataUntil, i.refreshKey);
  const now = i.now ?? Date.now();
  const td = pa.timeDimensions[0];
  const table = preAggTableName({
    base: tableBaseName(pa.cube, pa.name, pa.sqlAlias),
    partition: i.partition && pa.partitionGranularity ? partitionSuffix(i.partition.start, pa.partitionGranularity) : undefined,
    contentVersion: cv, structureVersion: sv, lastUpdatedAt: now,
  });
  let range = i.partition;
  if (i.dataUntil && td) {
    // The last lambda partition holds only whole buckets before the boundary; the rest is live.
    const until = new Date(Date.parse(`${i.dataUntil}Z`) - 1).toISOString().slice(0, 23);
    range = range ? { start: range.start, end: until < range.end ? until : range.end } : { start: '1970-01-01T00:00:00.000', end: until };
  }
  const started = Date.now();
  const rows = await rollupRows({ source: i.source, model: i.model, preAgg: pa, timezone: i.timezone, range, cubeSources: i.cubeSources, signal: i.signal });
  const count = await loadTable(i.store, {
    schema: i.buildLog.schema, table, columns: cols, rows: batches(toCells(rows, cols), i.batchSize), log: i.log,
    indexes: pa.indexes.map((ix) => ({
      name: ix.name,
      columns: ix.columns.map((c) => (c.includes('.') ? cols.find((x) => x.member === c || x.member.startsWith(`${c}.`))?.name ?? columnName(c) : c)),
    })),
  });
  const record: BuildRecord = {
    tableName: table, preAggregation: pa.path, timezone: i.timezone,
    partitionStart: i.partition?.start ?? '', partitionEnd: i.partition?.end ?? '',
    structureVersion: sv, contentVersion: cv, refreshKey: i.refreshKey, builtAt: now, dataUntil: i.dataUntil,
    rowCount: count, supersededAt: 0,
  };
  const previous = (await i.buildLog.list(pa.path)).filter((r) => r.timezone === i.timezone && r.partitionStart === record.partitionStart);
  await i.buildLog.record(record);
  await i.buildLog.supersede(previous.map((r) => r.tableName), now);
  i.log?.(`pre-aggregation ${pa.path} ${i.timezone} ${i.partition?.start ?? 'all'}: built ${i.buildLog.schema}.${table}, ${count} rows in ${Date.now() - started} ms`);
  return record;
}
