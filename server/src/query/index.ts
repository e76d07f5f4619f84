// Public surface of query normalisation (the API and pre-aggregations use these); compiling to
// SQL is sql/compile-query.ts, above this stage.
export { normalizeQuery, type NormalizeOptions } from './normalize-query.ts';
export { expandCompareDateRange } from './compare-date-range.ts';
export { parseDateRange } from './date-range.ts';
export { buildAnnotation, type Annotation } from './annotation.ts';
export { dataSourceOf } from '../planner/data-source.ts';
export type * from './types.ts';
export type { PreAggMatch, PreAggMatcher } from '../planner/types.ts';
