// Public surface of the pre-aggregation module: what the API server, the CLI and benchmarks use.
export { openPreAggregations, type OpenPreAggregationsOptions, type PreAggRuntimeHandle, type PreAggCubeOptions } from './open-pre-aggregations.ts';
export { PreAggregations, type PreAggregationsOptions, type RefreshSelector } from './pre-aggregations.ts';
export { loadPreAggConfig, type PreAggConfig } from './config.ts';
export { createJobsHandler } from './jobs-handler.ts';
export { createRefreshScheduler, type RefreshScheduler } from './scheduler.ts';
export { refreshCommand } from './refresh-command.ts';
export { runQuery, type RunQueryOptions, type RunQueryResult } from './run-query.ts';
export { createSourceEngine, type SourceDriver } from './compiled-source.ts';
export { matchPreAggregation } from './matcher.ts';
export { openStore } from './stores/open-store.ts';
export { DuckDBStore } from './stores/duckdb.ts';
export { MySQLStore } from './stores/mysql.ts';
export type { PreAggStore, StoreColumn, Cell } from './stores/types.ts';
