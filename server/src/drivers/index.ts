// Public surface of the drivers module.
export { createDriver } from './create-driver.ts';
export { loadDriverConfig, parseDurationMs, type DriverConfig } from './driver-config.ts';
export { DuckDbDriver, type DuckDbDriverConfig } from './duckdb-driver.ts';
export { MySqlDriver, type MySqlDriverConfig } from './mysql-driver.ts';
export { QueryCancelled, type Driver, type QueryOptions, type Row } from './types.ts';
