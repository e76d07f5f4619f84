// DuckDB-file pre-aggregation store (the default): rows go in through DuckDB's appender, reads
// use one connection per call so dashboard queries run concurrently under DuckDB's MVCC.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, DuckDBTimestampValue, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import type { Cell, ColumnType, PreAggStore, StoreColumn, StoreDialect, StoreRow } from './types.ts';
import { parseLocal } from '../time.ts';

const SQL_TYPE: Record<ColumnType, string> = {
  string: 'VARCHAR', integer: 'BIGINT', float: 'DOUBLE', decimal: 'DECIMAL(38,10)', timestamp: 'TIMESTAMP', boolean: 'BOOLEAN',
};

export const duckdbDialect: StoreDialect = {
  quote: (id) => `"${id.replace(/"/g, '""')}"`,
  param: (i) => `$${i + 1}`,
  truncate: (expr, g) => `date_trunc('${g}', ${expr})`,
  timestampParam: (i) => `CAST($${i + 1} AS TIMESTAMP)`,
  ilike: (expr, pattern, negate) => `${expr} ${negate ? 'NOT ILIKE' : 'ILIKE'} ${pattern}`,
};

export function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number.isSafeInteger(Number(v)) ? Number(v) : v.toString();
  if (v instanceof Date) return v.toISOString().slice(0, 23);
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  return String(v);
}

function bind(params: readonly unknown[]): DuckDBValue[] {
  return params.map((p) => (p === undefined ? null : typeof p === 'object' && p !== null && !(p instanceof Date) ? JSON.stringify(p) : p instanceof Date ? p.toISOString() : p) as DuckDBValue);
}

export class DuckDBStore implements PreAggStore {
  readonly type = 'duckdb' as const;
  readonly dialect = duckdbDialect;
  private constructor(private readonly instance: DuckDBInstance) {}

  static async open(path: string): Promise<DuckDBStore> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    return new DuckDBStore(await DuckDBInstance.create(path));
  }

  private async withConn<T>(fn: (c: DuckDBConnection) => Promise<T>): Promise<T> {
    const conn = await this.instance.connect();
    try { return await fn(conn); } finally { conn.closeSync(); }
  }

  private q = (s: string, t?: string) => (t ? `${this.dialect.quote(s)}.${this.dialect.quote(t)}` : this.dialect.quote(s));

  async ensureSchema(schema: string): Promise<void> {
    await this.withConn((c) => c.run(`CREATE SCHEMA IF NOT EXISTS ${this.q(schema)}`));
  }

  async listTables(schema: string): Promise<string[]> {
    const rows = await this.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY table_name`, [schema]);
    return rows.map((r) => String(r.table_name));
  }

  async createTable(schema: string, table: string, columns: readonly StoreColumn[]): Promise<void> {
    const cols = columns.map((c) => `${this.q(c.name)} ${SQL_TYPE[c.type]}`).join(', ');
    await this.withConn((c) => c.run(`CREATE TABLE ${this.q(schema, table)} (${cols})`));
  }

  async insertRows(schema: string, table: string, columns: readonly StoreColumn[], rows: readonly Cell[][]): Promise<void> {
    await this.withConn(async (c) => {
      const app = await c.createAppender(table, schema);
      try {
        for (const row of rows) {
          columns.forEach((col, i) => appendCell(app, col.type, row[i] ?? null));
          app.endRow();
        }
        app.flushSync();
      } finally { app.closeSync(); }
    });
  }

  async createIndex(schema: string, table: string, index: string, columns: readonly string[]): Promise<void> {
    const cols = columns.map((c) => this.q(c)).join(', ');
    await this.withConn((c) => c.run(`CREATE INDEX ${this.q(index)} ON ${this.q(schema, table)} (${cols})`));
  }

  async renameTable(schema: string, from: string, to: string): Promise<void> {
    await this.withConn((c) => c.run(`ALTER TABLE ${this.q(schema, from)} RENAME TO ${this.q(to)}`));
  }

  async dropTable(schema: string, table: string): Promise<void> {
    await this.withConn((c) => c.run(`DROP TABLE IF EXISTS ${this.q(schema, table)}`));
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<StoreRow[]> {
    return this.withConn(async (c) => {
      const reader = await c.runAndReadAll(sql, params.length ? bind(params) : undefined);
      return reader.getRowObjectsJS().map((r) => {
        const out: StoreRow = {};
        for (const k of Object.keys(r)) out[k] = toCell(r[k]);
        return out;
      });
    });
  }

  async close(): Promise<void> {
    this.instance.closeSync();
  }
}

type Appender = Awaited<ReturnType<DuckDBConnection['createAppender']>>;

function appendCell(app: Appender, type: ColumnType, v: Cell): void {
  if (v === null) return app.appendNull();
  switch (type) {
    case 'string': return app.appendVarchar(String(v));
    case 'integer': return app.appendBigInt(BigInt(typeof v === 'number' ? Math.trunc(v) : String(v)));
    // The appender casts doubles into DECIMAL columns.
    case 'float': case 'decimal': return app.appendDouble(Number(v));
    case 'boolean': return app.appendBoolean(v === true || v === 'true' || v === 1);
    case 'timestamp': return app.appendTimestamp(new DuckDBTimestampValue(BigInt(parseLocal(String(v)).getTime()) * 1000n));
  }
}
