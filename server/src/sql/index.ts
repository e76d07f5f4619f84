// Public surface of the SQL dialects (renderers are internal to compileQuery).
export { Dialect, type Spelling } from './dialect.ts';
export { getDialect, DIALECT_NAMES, type DialectName } from './get-dialect.ts';
