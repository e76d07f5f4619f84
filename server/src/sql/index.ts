// Public surface of the SQL stage: compiling a normalised query, and the dialects (the renderers
// are internal to compileQuery).
export { compileQuery, type CompileOptions, type CompiledQuery } from './compile-query.ts';
export { Dialect, type Spelling } from './dialect.ts';
export { getDialect, DIALECT_NAMES, type DialectName } from './get-dialect.ts';
