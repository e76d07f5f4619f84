// Driver factory: config (from loadDriverConfig or a cube.js driverFactory) → a connected Driver.
// Cube's Presto/Trino/Athena drivers are loaded lazily so the embedded default stays light.
import { createRequire } from 'node:module';
import { CubeJsDriverAdapter, type CubeJsDriverLike } from './cubejs-driver-adapter.ts';
import type { DriverConfig } from './driver-config.ts';
import { DuckDbDriver } from './duckdb-driver.ts';
import { losslessJson } from './lossless-json.ts';
import { MySqlDriver } from './mysql-driver.ts';
import { PartitionSyncingDriver, partitionSyncSql } from './partition-sync.ts';
import type { Driver } from './types.ts';

const require = createRequire(import.meta.url);

/**
 * Session time zone of every Presto/Trino query. The SQL is written for a UTC session, as Cube's
 * PrestodbQuery: a naive UTC timestamp `AT TIME ZONE 'X'` is read in the session's zone first, and
 * without this header that is the engine JVM's zone (a rollup built under São Paulo put New York
 * buckets 3 hours off).
 */
export const SESSION_TIME_ZONE = 'UTC';

type Ctor = new (config: Record<string, unknown>) => CubeJsDriverLike;

/** Cube's driver constructor for a type; exported for tests that pin parameter inlining. */
export function cubeJsDriver(type: 'prestodb' | 'trino' | 'athena'): Ctor {
  const pkg = { prestodb: ['@cubejs-backend/prestodb-driver', 'PrestoDriver'], trino: ['@cubejs-backend/trino-driver', 'TrinoDriver'], athena: ['@cubejs-backend/athena-driver', 'AthenaDriver'] }[type];
  const mod = require(pkg[0]) as Record<string, Ctor>;
  return mod[pkg[1]];
}

export async function createDriver(type: DriverConfig['type'], config: DriverConfig): Promise<Driver> {
  if (type !== config.type) throw new Error(`Driver type '${type}' does not match its config ('${config.type}')`);
  switch (config.type) {
    case 'duckdb': return DuckDbDriver.create(config);
    case 'mysql': return new MySqlDriver(config);
    case 'prestodb':
    case 'trino': {
      const Driver = cubeJsDriver(config.type);
      const inner = new Driver({
        host: config.host, port: String(config.port), catalog: config.catalog, schema: config.schema, user: config.user,
        ...(config.password ? { basic_auth: { user: config.user, password: config.password } } : {}),
        ssl: config.ssl || undefined, queryTimeout: Math.round(config.queryTimeoutMs / 1000),
        // Handed on to presto-client: BIGINTs past 2^53 keep their digits; the next result page
        // is asked for after 50 ms rather than 800 ms (the engine long-polls that request anyway).
        jsonParser: losslessJson, checkInterval: 50,
        headers: { [config.type === 'trino' ? 'X-Trino-Time-Zone' : 'X-Presto-Time-Zone']: SESSION_TIME_ZONE },
      });
      const driver = new CubeJsDriverAdapter(config.type, config.type === 'prestodb' ? 'presto' : 'trino', inner, config.queryTimeoutMs);
      const syncSql = config.eventsTable && config.partitionSyncMs > 0 ? partitionSyncSql(config.eventsTable, config.catalog) : undefined;
      return syncSql ? new PartitionSyncingDriver(driver, syncSql, { table: config.eventsTable!, intervalMs: config.partitionSyncMs }) : driver;
    }
    case 'athena': {
      const Driver = cubeJsDriver('athena');
      const { type: _t, queryTimeoutMs, ...rest } = config;
      const inner = new Driver({ ...rest, pollTimeout: Math.round(queryTimeoutMs / 1000) });
      return new CubeJsDriverAdapter('athena', 'athena', inner, queryTimeoutMs);
    }
  }
}
