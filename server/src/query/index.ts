// Public surface of query normalisation and compilation (the API and pre-aggregations use these).
export { normalizeQuery, type NormalizeOptions } from './normalize-query.ts';
export { compileQuery, type CompileOptions, type CompiledQuery } from './compile-query.ts';
export { expandCompareDateRange } from './compare-date-range.ts';
export { parseDateRange } from './date-range.ts';
export { buildAnnotation, type Annotation } from './annotation.ts';
export { dataSourceOf } from '../planner/data-source.ts';
export type * from './types.ts';
export type { PreAggMatch, PreAggMatcher } from '../planner/types.ts';
