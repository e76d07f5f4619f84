// Loads Cube's fixture rows (shared/peer/cube-testing-drivers/data) into DuckDB or MariaDB with
// the column types Cube's CREATE TABLE … AS SELECT infers there, under `<table><suffix>` names.
import { DuckDBInstance } from '@duckdb/node-api';
import { createConnection } from 'mysql2/promise';
import { TABLES, table, type Table } from './cube-suite-data.ts';

const sqlType = (type: string, engine: 'duckdb' | 'mysql'): string => {
  if (type === 'string') return engine === 'mysql' ? 'VARCHAR(255)' : 'VARCHAR';
  if (type === 'integer') return engine === 'mysql' ? 'BIGINT' : 'INTEGER';
  if (type === 'boolean') return engine === 'mysql' ? 'TINYINT(1)' : 'BOOLEAN';
  if (type === 'date') return 'DATE';
  if (/^decimal\(\d+,\d+\)$/.test(type)) return type.toUpperCase();
  throw new Error(`fixture column type '${type}' is not known`);
};

const ddl = (t: Table, name: string, engine: 'duckdb' | 'mysql') =>
  `CREATE TABLE ${name} (${t.columns.map((c) => `${c.name} ${sqlType(c.type, engine)}`).join(', ')})`;

/** Writes every fixture table into the DuckDB database file at `path`. */
export async function loadDuckDb(path: string, suffix: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const conn = await instance.connect();
  try {
    for (const name of TABLES) {
      const t = table(name);
      await conn.run(ddl(t, name + suffix, 'duckdb'));
      const marks = t.columns.map(() => '?').join(', ');
      for (const row of t.rows) await conn.run(`INSERT INTO ${name + suffix} VALUES (${marks})`, row as never);
    }
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

export const MARIADB = { host: '127.0.0.1', port: 3306, user: 'root', password: '', database: 'test' } as const;

/** Creates `<table><suffix>` in MariaDB's `test`; returns a function that drops them again. */
export async function loadMariaDb(suffix: string): Promise<() => Promise<void>> {
  const conn = await createConnection(MARIADB);
  try {
    for (const name of TABLES) {
      const t = table(name);
      await conn.query(ddl(t, name + suffix, 'mysql'));
      await conn.query(`INSERT INTO ${name + suffix} VALUES ?`, [t.rows.map((r) => [...r])]);
    }
  } finally {
    await conn.end();
  }
  return async () => {
    const c = await createConnection(MARIADB);
    try {
      for (const name of TABLES) await c.query(`DROP TABLE IF EXISTS ${name + suffix}`);
    } finally {
      await c.end();
    }
  };
}
