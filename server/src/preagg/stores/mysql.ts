// MySQL/MariaDB pre-aggregation store (`CUBEJS_EXT_DB_TYPE=mysql`, Cube's pre-Cube-Store
// external store): one database per pre-aggregation schema, batched multi-row INSERTs,
// timestamps kept naive as DATETIME(3) so wall times round-trip unchanged.
import { createPool, type Pool, type PoolOptions, type TypeCastField } from 'mysql2/promise';
import type { Cell, ColumnType, PreAggStore, StoreColumn, StoreDialect, StoreRow } from './types.ts';

const SQL_TYPE: Record<ColumnType, string> = {
  string: 'TEXT', integer: 'BIGINT', float: 'DOUBLE', decimal: 'DECIMAL(38,10)', timestamp: 'DATETIME(3)', boolean: 'BOOLEAN',
};

const TRUNC: Record<string, (e: string) => string> = {
  second: (e) => `CAST(DATE_FORMAT(${e}, '%Y-%m-%d %H:%i:%s') AS DATETIME(3))`,
  minute: (e) => `CAST(DATE_FORMAT(${e}, '%Y-%m-%d %H:%i:00') AS DATETIME(3))`,
  hour: (e) => `CAST(DATE_FORMAT(${e}, '%Y-%m-%d %H:00:00') AS DATETIME(3))`,
  day: (e) => `CAST(DATE(${e}) AS DATETIME(3))`,
  week: (e) => `CAST(DATE_SUB(DATE(${e}), INTERVAL WEEKDAY(${e}) DAY) AS DATETIME(3))`,
  month: (e) => `CAST(DATE_FORMAT(${e}, '%Y-%m-01') AS DATETIME(3))`,
  quarter: (e) => `CAST(MAKEDATE(YEAR(${e}), 1) + INTERVAL (QUARTER(${e}) - 1) QUARTER AS DATETIME(3))`,
  year: (e) => `CAST(DATE_FORMAT(${e}, '%Y-01-01') AS DATETIME(3))`,
};

export const mysqlDialect: StoreDialect = {
  quote: (id) => `\`${id.replace(/`/g, '``')}\``,
  param: () => '?',
  truncate: (expr, g) => {
    const f = TRUNC[g];
    if (!f) throw new Error(`Unsupported granularity for MySQL store: ${g}`);
    return f(expr);
  },
  timestampParam: () => 'CAST(? AS DATETIME(3))',
  ilike: (expr, pattern, negate) => `LOWER(${expr}) ${negate ? 'NOT LIKE' : 'LIKE'} LOWER(${pattern})`,
};

/** MySQL caps placeholders per statement at 65535. */
const MAX_PARAMS = 60000;

function typeCast(field: TypeCastField, next: () => unknown): unknown {
  if (field.type === 'DATETIME' || field.type === 'TIMESTAMP' || field.type === 'DATE') {
    const s = field.string();
    if (s === null) return null;
    const [d, t = '00:00:00'] = s.split(' ');
    const [hms, frac = ''] = t.split('.');
    return `${d}T${hms}.${frac.padEnd(3, '0').slice(0, 3)}`;
  }
  // BOOLEAN is TINYINT(1) in MySQL: give back booleans like DuckDB does.
  if (field.type === 'TINY' && field.length === 1) {
    const s = field.string();
    return s === null ? null : s === '1';
  }
  return next();
}

export interface MySQLStoreOptions {
  readonly host: string; readonly port: number; readonly user: string; readonly password: string;
  readonly database?: string; readonly connectionLimit?: number;
}

export class MySQLStore implements PreAggStore {
  readonly type = 'mysql' as const;
  readonly dialect = mysqlDialect;
  private constructor(private readonly pool: Pool) {}

  static async open(o: MySQLStoreOptions): Promise<MySQLStore> {
    const opts: PoolOptions = {
      host: o.host, port: o.port, user: o.user, password: o.password,
      connectionLimit: o.connectionLimit ?? 8, timezone: 'Z', supportBigNumbers: true,
      bigNumberStrings: false, decimalNumbers: true, typeCast, multipleStatements: false,
    };
    const pool = createPool(opts);
    // Create the default database lazily so a fresh MySQL works without manual setup.
    if (o.database) await pool.query(`CREATE DATABASE IF NOT EXISTS ${mysqlDialect.quote(o.database)}`);
    return new MySQLStore(pool);
  }

  private q = (s: string, t?: string) => (t ? `${this.dialect.quote(s)}.${this.dialect.quote(t)}` : this.dialect.quote(s));

  async ensureSchema(schema: string): Promise<void> {
    await this.pool.query(`CREATE DATABASE IF NOT EXISTS ${this.q(schema)}`);
  }

  async listTables(schema: string): Promise<string[]> {
    const rows = await this.query(
      'SELECT table_name AS table_name FROM information_schema.tables WHERE table_schema = ? ORDER BY table_name', [schema]);
    return rows.map((r) => String(r.table_name));
  }

  async createTable(schema: string, table: string, columns: readonly StoreColumn[]): Promise<void> {
    const cols = columns.map((c) => `${this.q(c.name)} ${SQL_TYPE[c.type]}`).join(', ');
    await this.pool.query(`CREATE TABLE ${this.q(schema, table)} (${cols}) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
  }

  async insertRows(schema: string, table: string, columns: readonly StoreColumn[], rows: readonly Cell[][]): Promise<void> {
    if (rows.length === 0) return;
    const per = Math.max(1, Math.floor(MAX_PARAMS / Math.max(1, columns.length)));
    const tuple = `(${columns.map(() => '?').join(', ')})`;
    const head = `INSERT INTO ${this.q(schema, table)} (${columns.map((c) => this.q(c.name)).join(', ')}) VALUES `;
    for (let i = 0; i < rows.length; i += per) {
      const chunk = rows.slice(i, i + per);
      const params: unknown[] = [];
      for (const row of chunk) {
        columns.forEach((c, j) => {
          const v = row[j] ?? null;
          params.push(c.type === 'timestamp' && typeof v === 'string' ? v.replace('T', ' ') : v);
        });
      }
      await this.pool.query(head + chunk.map(() => tuple).join(', '), params);
    }
  }

  async createIndex(schema: string, table: string, index: string, columns: readonly string[]): Promise<void> {
    // TEXT columns need a prefix length to be indexed; 191 chars fits utf8mb4 in 767 bytes.
    const meta = await this.query(
      'SELECT column_name AS c, data_type AS t FROM information_schema.columns WHERE table_schema = ? AND table_name = ?', [schema, table]);
    const types = new Map(meta.map((r) => [String(r.c), String(r.t).toLowerCase()]));
    const cols = columns.map((c) => (types.get(c)?.includes('text') ? `${this.q(c)}(191)` : this.q(c))).join(', ');
    await this.pool.query(`CREATE INDEX ${this.q(index)} ON ${this.q(schema, table)} (${cols})`);
  }

  async renameTable(schema: string, from: string, to: string): Promise<void> {
    await this.pool.query(`RENAME TABLE ${this.q(schema, from)} TO ${this.q(schema, to)}`);
  }

  async dropTable(schema: string, table: string): Promise<void> {
    await this.pool.query(`DROP TABLE IF EXISTS ${this.q(schema, table)}`);
  }

  async query(sql: string, params: readonly unknown[] = []): Promise<StoreRow[]> {
    const [rows] = await this.pool.query(sql, params as unknown[]);
    if (!Array.isArray(rows)) return [];
    return (rows as Record<string, unknown>[]).map((r) => {
      const out: StoreRow = {};
      for (const k of Object.keys(r)) {
        const v = r[k];
        out[k] = v === undefined ? null : typeof v === 'bigint' ? Number(v) : v instanceof Date ? v.toISOString().slice(0, 23) : (v as Cell);
      }
      return out;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
