// The one interface both pre-aggregation stores (DuckDB file, MySQL) implement, so the builder,
// the query executor and the shared conformance suite never care which engine holds rollups.

/** `decimal` holds aggregated measures exactly (DECIMAL(38,10)), so re-summed money never shows float noise. */
export type ColumnType = 'string' | 'integer' | 'float' | 'decimal' | 'timestamp' | 'boolean';
export interface StoreColumn { readonly name: string; readonly type: ColumnType }

/** Cells as moved between engines: timestamps are naive local `YYYY-MM-DDTHH:mm:ss.SSS`. */
export type Cell = string | number | boolean | null;
export type StoreRow = Record<string, Cell>;

export interface StoreDialect {
  quote(ident: string): string;
  /** Placeholder for the i-th (0-based) parameter. */
  param(i: number): string;
  /** SQL that truncates a naive timestamp column to a granularity. */
  truncate(expr: string, granularity: string): string;
  /** Literal cast of a naive local time string parameter to a timestamp. */
  timestampParam(i: number): string;
  /** Case-insensitive LIKE. */
  ilike(expr: string, pattern: string, negate: boolean): string;
}

export interface PreAggStore {
  readonly type: 'duckdb' | 'mysql';
  readonly dialect: StoreDialect;
  ensureSchema(schema: string): Promise<void>;
  listTables(schema: string): Promise<string[]>;
  createTable(schema: string, table: string, columns: readonly StoreColumn[]): Promise<void>;
  insertRows(schema: string, table: string, columns: readonly StoreColumn[], rows: readonly Cell[][]): Promise<void>;
  createIndex(schema: string, table: string, index: string, columns: readonly string[]): Promise<void>;
  /** Atomic within the schema: readers see the old name or the new one, never a half table. */
  renameTable(schema: string, from: string, to: string): Promise<void>;
  dropTable(schema: string, table: string): Promise<void>;
  query(sql: string, params?: readonly unknown[]): Promise<StoreRow[]>;
  close(): Promise<void>;
}
