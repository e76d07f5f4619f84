// Public surface of the planner: join plans, data-source choice, and the pre-aggregation hook types.
export { planJoins, type JoinPlan } from './plan-joins.ts';
export { dataSourceOf } from './data-source.ts';
export type { PreAggMatch, PreAggMatcher } from './types.ts';
