// Dialect registry: CUBEJS_DB_TYPE / data-source type → SQL dialect instance.
import { UserError } from '../errors.ts';
import type { Dialect } from './dialect.ts';
import { DuckDbDialect } from './duckdb/duckdb-dialect.ts';
import { MySqlDialect } from './mysql/mysql-dialect.ts';
import { PrestoDialect } from './presto/presto-dialect.ts';
import { TrinoDialect } from './trino/trino-dialect.ts';
import { AthenaDialect } from './athena/athena-dialect.ts';

export const DIALECT_NAMES = ['duckdb', 'mysql', 'presto', 'trino', 'athena'] as const;
export type DialectName = (typeof DIALECT_NAMES)[number];

const dialects: Record<string, Dialect> = {
  duckdb: new DuckDbDialect(), mysql: new MySqlDialect(), mariadb: new MySqlDialect(),
  presto: new PrestoDialect(), prestodb: new PrestoDialect(), trino: new TrinoDialect(), athena: new AthenaDialect(),
};

export function getDialect(name: string | Dialect): Dialect {
  if (typeof name !== 'string') return name;
  const d = dialects[name.toLowerCase()];
  if (!d) throw new UserError(`Unsupported SQL dialect '${name}'. Supported: ${DIALECT_NAMES.join(', ')}`);
  return d;
}
