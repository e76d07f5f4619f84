// Source-engine configuration from Cube's variables: CUBEJS_DB_TYPE and CUBEJS_DB_* (or, for a
// named data source, CUBEJS_DS_<NAME>_DB_* as Cube's multiple data sources), validated once.
import { z } from 'zod';
import type { DuckDbDriverConfig } from './duckdb-driver.ts';
import type { MySqlDriverConfig } from './mysql-driver.ts';

export interface PrestoLikeDriverConfig {
  readonly type: 'prestodb' | 'trino';
  readonly host: string;
  readonly port: number;
  readonly catalog?: string;
  readonly schema?: string;
  readonly user?: string;
  readonly password?: string;
  readonly ssl: boolean;
  readonly queryTimeoutMs: number;
  /** The events' Hive table (WEBCUBE_EVENTS_TABLE), kept in step with its dt= folders. */
  readonly eventsTable?: string;
  /** WEBCUBE_PARTITION_SYNC_INTERVAL; 0 turns the sync off. */
  readonly partitionSyncMs: number;
}

export interface AthenaDriverConfig {
  readonly type: 'athena';
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly region?: string;
  readonly S3OutputLocation?: string;
  readonly workGroup: string;
  readonly catalog?: string;
  readonly database?: string;
  readonly queryTimeoutMs: number;
}

export type DriverConfig = DuckDbDriverConfig | MySqlDriverConfig | PrestoLikeDriverConfig | AthenaDriverConfig;

const TYPES = { duckdb: 'duckdb', mysql: 'mysql', mariadb: 'mysql', prestodb: 'prestodb', presto: 'prestodb', trino: 'trino', athena: 'athena' } as const;

/** Cube's durations: seconds as a number, or `30s`, `10m`, `1h`. */
export function parseDurationMs(value: string, name: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(value);
  if (!m) throw new Error(`${name} must be a duration such as 600, 30s, 10m or 1h, got '${value}'`);
  const n = Number(m[1]);
  return Math.round(n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] as 'ms' | 's' | 'm' | 'h' ?? 's']);
}

function reader(env: Record<string, string | undefined>, dataSource?: string) {
  const prefixed = (name: string) => (dataSource && dataSource !== 'default' ? name.replace(/^CUBEJS_/, `CUBEJS_DS_${dataSource.toUpperCase()}_`) : name);
  const str = (name: string): string | undefined => {
    const v = env[prefixed(name)];
    return v === undefined || v === '' ? undefined : v;
  };
  const int = (name: string, def: number, min = 0, max = 65535): number => {
    const v = str(name);
    if (v === undefined) return def;
    const parsed = z.coerce.number().int().min(min).max(max).safeParse(v);
    if (!parsed.success) throw new Error(`${prefixed(name)} must be an integer between ${min} and ${max}, got '${v}'`);
    return parsed.data;
  };
  const bool = (name: string): boolean => {
    const v = str(name);
    if (v === undefined) return false;
    if (!['true', 'false', '1', '0'].includes(v.toLowerCase())) throw new Error(`${prefixed(name)} must be true or false, got '${v}'`);
    return v === 'true' || v === '1';
  };
  return { str, int, bool, prefixed };
}

export function loadDriverConfig(env: Record<string, string | undefined>, dataSource?: string): DriverConfig {
  const { str, int, bool, prefixed } = reader(env, dataSource);
  const rawType = (str('CUBEJS_DB_TYPE') ?? 'duckdb').toLowerCase();
  const type = TYPES[rawType as keyof typeof TYPES];
  if (!type) throw new Error(`${prefixed('CUBEJS_DB_TYPE')} must be one of ${Object.keys(TYPES).join(', ')}, got '${rawType}'`);
  const timeout = str('CUBEJS_DB_QUERY_TIMEOUT');
  const queryTimeoutMs = timeout === undefined ? 600_000 : parseDurationMs(timeout, prefixed('CUBEJS_DB_QUERY_TIMEOUT'));
  let config: DriverConfig;
  switch (type) {
    case 'duckdb':
      config = {
        type, dataDir: env.WEBCUBE_DATA_DIR || './data', databasePath: str('CUBEJS_DB_DUCKDB_DATABASE_PATH') ?? ':memory:',
        maxPool: int('CUBEJS_DB_MAX_POOL', 8, 1, 256), queryTimeoutMs, defineEvents: true,
      };
      break;
    case 'mysql':
      config = {
        type, host: str('CUBEJS_DB_HOST') ?? 'localhost', port: int('CUBEJS_DB_PORT', 3306, 1), database: str('CUBEJS_DB_NAME'),
        user: str('CUBEJS_DB_USER'), password: str('CUBEJS_DB_PASS'), socketPath: str('CUBEJS_DB_SOCKET_PATH'),
        ssl: bool('CUBEJS_DB_SSL'), maxPool: int('CUBEJS_DB_MAX_POOL', 8, 1, 1000), queryTimeoutMs,
      };
      break;
    case 'prestodb':
    case 'trino':
      config = {
        type, host: str('CUBEJS_DB_HOST') ?? 'localhost', port: int('CUBEJS_DB_PORT', 8080, 1),
        catalog: str('CUBEJS_DB_PRESTO_CATALOG') ?? str('CUBEJS_DB_CATALOG'), schema: str('CUBEJS_DB_SCHEMA') ?? str('CUBEJS_DB_NAME'),
        user: str('CUBEJS_DB_USER'), password: str('CUBEJS_DB_PASS'), ssl: bool('CUBEJS_DB_SSL'), queryTimeoutMs,
        eventsTable: env.WEBCUBE_EVENTS_TABLE || undefined,
        partitionSyncMs: env.WEBCUBE_PARTITION_SYNC_INTERVAL ? parseDurationMs(env.WEBCUBE_PARTITION_SYNC_INTERVAL, 'WEBCUBE_PARTITION_SYNC_INTERVAL') : 5000,
      };
      break;
    case 'athena':
      config = {
        type, accessKeyId: str('CUBEJS_AWS_KEY'), secretAccessKey: str('CUBEJS_AWS_SECRET'), region: str('CUBEJS_AWS_REGION'),
        S3OutputLocation: str('CUBEJS_AWS_S3_OUTPUT_LOCATION'), workGroup: str('CUBEJS_AWS_ATHENA_WORKGROUP') ?? 'primary',
        catalog: str('CUBEJS_AWS_ATHENA_CATALOG'), database: str('CUBEJS_DB_NAME') ?? str('CUBEJS_DB_SCHEMA'), queryTimeoutMs,
      };
      break;
  }
  return Object.freeze(config);
}
