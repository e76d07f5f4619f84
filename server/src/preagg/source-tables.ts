// Where original_sql pre-aggregations live: in the SOURCE engine, as Cube keeps them
// (`external: false`), so the cube's members keep their source-dialect SQL and a rollup built
// from them runs on the engine that already holds the data, with no rows through this process.
// Embedded DuckDB (an in-memory database per process) writes Parquet files beside the event
// files, readable by every process; Presto, Trino, Athena and MySQL get CREATE TABLE … AS.
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { getDialect } from '../sql/get-dialect.ts';
import type { SourceDriver } from './compiled-source.ts';

export interface SourceTables {
  /** Source dialect the build SQL is rendered in. */
  readonly dialect: string;
  /** Materialises the rows of `sql` as `table`; returns the row count. */
  create(table: string, sql: string, params: readonly unknown[]): Promise<number>;
  drop(table: string): Promise<void>;
  /** FROM expression reading these tables (the partitions) as one relation. */
  from(tables: readonly string[]): string;
}

const isRemote = (p: string) => /^[a-z0-9]+:\/\//i.test(p);
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

/** Parquet files under `location` (a local directory or s3://… with DuckDB's httpfs). */
export function duckdbParquetTables(driver: SourceDriver, location: string): SourceTables {
  const file = (t: string) => (isRemote(location) ? `${location.replace(/\/$/, '')}/${t}.parquet` : join(location, `${t}.parquet`));
  return {
    dialect: 'duckdb',
    async create(table, sql, params) {
      if (!isRemote(location)) await mkdir(location, { recursive: true });
      await driver.query(`COPY (${sql}) TO ${literal(file(table))} (FORMAT parquet, COMPRESSION zstd)`, params);
      const rows = await driver.query(`SELECT count(*) AS n FROM read_parquet(${literal(file(table))})`, []);
      return Number(rows[0]?.n ?? 0);
    },
    async drop(table) {
      // Remote objects are left to the bucket's lifecycle rules: DuckDB cannot delete them.
      if (!isRemote(location)) await rm(file(table), { force: true });
    },
    from: (tables) => `read_parquet([${tables.map((t) => literal(file(t))).join(', ')}])`,
  };
}

/** CREATE TABLE schema.table AS … in the source engine (Cube's originalSql with external: false). */
export function ctasTables(driver: SourceDriver, dialectName: string, schema: string): SourceTables {
  const d = getDialect(dialectName);
  const name = (t: string) => `${d.quoteIdentifier(schema)}.${d.quoteIdentifier(t)}`;
  // As Cube does before its first CTAS: the pre-aggregation schema may not exist in the engine
  // yet (a fresh Hive catalog has only `default`). Once per process; a failure is retried.
  let schemaReady: Promise<unknown> | undefined;
  const ensureSchema = () => (schemaReady ??= driver.query(`CREATE SCHEMA IF NOT EXISTS ${d.quoteIdentifier(schema)}`, [])
    .catch((e: unknown) => { schemaReady = undefined; throw e; }));
  return {
    dialect: dialectName,
    async create(table, sql, params) {
      await ensureSchema();
      try {
        await driver.query(`CREATE TABLE ${name(table)} AS ${sql}`, params);
        const rows = await driver.query(`SELECT count(*) AS n FROM ${name(table)}`, []);
        return Number(rows[0]?.n ?? 0);
      } catch (e) {
        // A failed build is never recorded, so nothing would ever drop what it left in the
        // engine (a written table whose count failed, a half-written one).
        await driver.query(`DROP TABLE IF EXISTS ${name(table)}`, []).catch(() => undefined);
        throw e;
      }
    },
    async drop(table) { await driver.query(`DROP TABLE IF EXISTS ${name(table)}`, []); },
    from: (tables) => (tables.length === 1 ? name(tables[0]!)
      : `(${tables.map((t) => `SELECT * FROM ${name(t)}`).join(' UNION ALL ')})`),
  };
}
