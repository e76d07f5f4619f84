// External-table DDL for the collector's Parquet files, generated from the column contract
// so Presto, Trino and Athena always see exactly the columns the writer produces.
import { atomicColumns, type AtomicType } from './columns.ts';

export type DdlEngine = 'presto' | 'trino' | 'athena';

const hiveTypes: Record<AtomicType, string> = {
  VARCHAR: 'varchar', TIMESTAMP: 'timestamp', INTEGER: 'integer', SMALLINT: 'smallint',
  DOUBLE: 'double', 'DECIMAL(18,2)': 'decimal(18,2)', BOOLEAN: 'boolean',
};
// Athena's CREATE EXTERNAL TABLE is Hive DDL: string and int rather than varchar and integer.
const athenaTypes: Record<AtomicType, string> = { ...hiveTypes, VARCHAR: 'string', INTEGER: 'int' };

export interface DdlOptions {
  /** Where the events folder is, e.g. s3a://webcube/events (Presto/Trino) or s3://bucket/prefix/events. */
  readonly location: string;
  readonly schema?: string;
  /** Presto/Trino catalog; Athena has none in DDL. */
  readonly catalog?: string;
  /** First day of partition projection (Athena). */
  readonly projectionStart?: string;
}

function columnList(types: Record<AtomicType, string>, quote: (n: string) => string): string {
  return atomicColumns.map((c) => `  ${quote(c.name)} ${types[c.type]}`).join(',\n');
}

/** The statements that create the events table on Presto or Trino and load its partitions. */
export function prestoTableStatements(o: DdlOptions): string[] {
  const catalog = o.catalog ?? 'hive';
  const schema = o.schema ?? 'atomic';
  return [
    `CREATE SCHEMA IF NOT EXISTS ${catalog}.${schema}`,
    `CREATE TABLE IF NOT EXISTS ${catalog}.${schema}.events (\n${columnList(hiveTypes, (n) => `"${n}"`)},\n  "dt" varchar\n)\n`
      + `WITH (format = 'PARQUET', external_location = '${o.location}', partitioned_by = ARRAY['dt'])`,
    partitionSyncStatement(o),
  ];
}

/** Registers dt= folders added (and forgets those removed) since the last sync. */
export function partitionSyncStatement(o: Pick<DdlOptions, 'catalog' | 'schema'> & { table?: string }): string {
  return `CALL ${o.catalog ?? 'hive'}.system.sync_partition_metadata('${o.schema ?? 'atomic'}', '${o.table ?? 'events'}', 'FULL')`;
}

function prestoDdl(o: DdlOptions): string {
  const [schema, table, sync] = prestoTableStatements(o);
  return [
    `${schema};`,
    `${table};`,
    '-- New dt= folders become visible after a partition sync (webcube\'s API and refresh worker run it):',
    `${sync};`,
    '',
  ].join('\n');
}

function athenaDdl(o: DdlOptions): string {
  const location = o.location.replace(/\/$/, '');
  return [
    `CREATE DATABASE IF NOT EXISTS ${o.schema ?? 'atomic'};`,
    `CREATE EXTERNAL TABLE IF NOT EXISTS ${o.schema ?? 'atomic'}.events (\n${columnList(athenaTypes, (n) => `\`${n}\``)}\n)`,
    'PARTITIONED BY (`dt` string)',
    'STORED AS PARQUET',
    `LOCATION '${location}/'`,
    'TBLPROPERTIES (',
    "  'parquet.compression' = 'ZSTD',",
    // Partition projection: Athena computes dt= paths itself, so no MSCK REPAIR is needed.
    "  'projection.enabled' = 'true',",
    "  'projection.dt.type' = 'date',",
    "  'projection.dt.format' = 'yyyy-MM-dd',",
    `  'projection.dt.range' = '${o.projectionStart ?? '2024-01-01'},NOW',`,
    "  'projection.dt.interval' = '1',",
    "  'projection.dt.interval.unit' = 'DAYS',",
    `  'storage.location.template' = '${location}/dt=\${dt}/'`,
    ');',
    '',
  ].join('\n');
}

export function eventsTableDdl(engine: DdlEngine, options: DdlOptions): string {
  return engine === 'athena' ? athenaDdl(options) : prestoDdl(options);
}
