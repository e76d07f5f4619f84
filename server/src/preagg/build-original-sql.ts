// Builds one partition (or the whole table) of an original_sql pre-aggregation in the source
// engine (see source-tables.ts), records it in the build log and supersedes the old version,
// exactly as a rollup partition build does (build-partition.ts).
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import type { BuildLog, BuildRecord } from './build-log.ts';
import { preAggTableName, tableBaseName, partitionSuffix, versionHash } from './naming.ts';
import { ORIGINAL_SQL_TZ, originalSqlSelect, originalSqlStructureVersion } from './original-sql.ts';
import type { SourceTables } from './source-tables.ts';
import type { LocalRange } from './time.ts';

export interface BuildOriginalSqlInput {
  readonly buildLog: BuildLog;
  readonly tables: SourceTables;
  readonly model: CompiledModel;
  readonly preAgg: PreAggregation;
  readonly partition?: LocalRange;
  readonly refreshKey: string;
  readonly log?: (msg: string) => void;
  readonly now?: number;
}

export async function buildOriginalSql(i: BuildOriginalSqlInput): Promise<BuildRecord> {
  const pa = i.preAgg;
  const sv = originalSqlStructureVersion(i.model, pa);
  const cv = versionHash(sv, i.partition ?? null, i.refreshKey);
  const now = i.now ?? Date.now();
  const table = preAggTableName({
    base: tableBaseName(pa.cube, pa.name, pa.sqlAlias),
    partition: i.partition && pa.partitionGranularity ? partitionSuffix(i.partition.start, pa.partitionGranularity) : undefined,
    contentVersion: cv, structureVersion: sv, lastUpdatedAt: now,
  });
  const started = Date.now();
  const { sql, params } = originalSqlSelect(i.model, pa, i.tables.dialect, i.partition);
  const count = await i.tables.create(table, sql, params);
  const record: BuildRecord = {
    tableName: table, preAggregation: pa.path, timezone: ORIGINAL_SQL_TZ,
    partitionStart: i.partition?.start ?? '', partitionEnd: i.partition?.end ?? '',
    structureVersion: sv, contentVersion: cv, refreshKey: i.refreshKey, builtAt: now, dataUntil: '',
    rowCount: count, supersededAt: 0,
  };
  const previous = (await i.buildLog.list(pa.path)).filter((r) => r.partitionStart === record.partitionStart);
  await i.buildLog.record(record);
  await i.buildLog.supersede(previous.map((r) => r.tableName), now);
  i.log?.(`pre-aggregation ${pa.path} ${i.partition?.start ?? 'all'}: materialised ${table} in the source, ${count} rows in ${Date.now() - started} ms`);
  return record;
}
