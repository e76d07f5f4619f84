// Pre-aggregation settings read once from the environment, with Cube's variable names and
// defaults (external store, schema, refresh worker), validated and frozen.
import { join } from 'node:path';
import { z } from 'zod';

export interface PreAggConfig {
  readonly extDbType: 'duckdb' | 'mysql';
  readonly duckdbPath: string;
  /** Where an embedded DuckDB source writes original_sql pre-aggregations (Parquet): beside the events. */
  readonly originalSqlLocation: string;
  readonly mysql: { readonly host: string; readonly port: number; readonly user: string; readonly password: string; readonly database: string };
  readonly schema: string;
  readonly refreshWorker: boolean;
  /** Seconds between scheduled refresh passes; 0 disables the in-process scheduler. */
  readonly refreshTimerSeconds: number;
  readonly refreshConcurrency: number;
  readonly refreshTimezones: readonly string[];
  readonly batchSize: number;
  /** Old table versions are dropped only after this many seconds, so queries in flight finish. */
  readonly dropGraceSeconds: number;
  readonly devMode: boolean;
}

const bool = (name: string, v: string | undefined, dflt: boolean): boolean => {
  if (v === undefined || v === '') return dflt;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  throw new Error(`${name} must be true or false, got "${v}"`);
};

const int = (name: string, v: string | undefined, dflt: number, min = 0): number => {
  if (v === undefined || v === '') return dflt;
  const r = z.coerce.number().int().min(min).safeParse(v);
  if (!r.success) throw new Error(`${name} must be an integer >= ${min}, got "${v}"`);
  return r.data;
};

const timezones = (v: string | undefined): string[] => {
  const list = (v ?? 'UTC').split(',').map((s) => s.trim()).filter(Boolean);
  for (const tz of list) {
    try { new Intl.DateTimeFormat('en-US', { timeZone: tz }); } catch {
      throw new Error(`CUBEJS_SCHEDULED_REFRESH_TIMEZONES has an unknown time zone "${tz}"`);
    }
  }
  return list.length ? list : ['UTC'];
};

export function loadPreAggConfig(env: Record<string, string | undefined>): PreAggConfig {
  const extType = (env.CUBEJS_EXT_DB_TYPE ?? 'duckdb').toLowerCase() || 'duckdb';
  if (extType !== 'duckdb' && extType !== 'mysql') {
    throw new Error(`CUBEJS_EXT_DB_TYPE must be duckdb or mysql, got "${env.CUBEJS_EXT_DB_TYPE}"`);
  }
  const devMode = bool('CUBEJS_DEV_MODE', env.CUBEJS_DEV_MODE, false);
  const refreshWorker = bool('CUBEJS_REFRESH_WORKER', env.CUBEJS_REFRESH_WORKER, devMode);
  // Cube: `true` means every 30 s, a number is seconds; it defaults to the refresh worker flag.
  const timerRaw = env.CUBEJS_SCHEDULED_REFRESH_TIMER;
  let timer = refreshWorker ? 30 : 0;
  if (timerRaw !== undefined && timerRaw !== '') {
    if (/^(true|false)$/i.test(timerRaw)) timer = /^true$/i.test(timerRaw) ? 30 : 0;
    else timer = int('CUBEJS_SCHEDULED_REFRESH_TIMER', timerRaw, 30);
  }
  const schema = env.CUBEJS_PRE_AGGREGATIONS_SCHEMA ?? (devMode ? 'dev_pre_aggregations' : 'prod_pre_aggregations');
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,63}$/.test(schema)) {
    throw new Error(`CUBEJS_PRE_AGGREGATIONS_SCHEMA must be a plain SQL identifier, got "${schema}"`);
  }
  const dataDir = env.WEBCUBE_DATA_DIR || './data';
  return Object.freeze({
    extDbType: extType,
    duckdbPath: env.WEBCUBE_PREAGG_DUCKDB_PATH || join(dataDir, 'preaggs.duckdb'),
    // Not path.join: the root may be s3://bucket/prefix.
    originalSqlLocation: `${dataDir.replace(/\/+$/, '')}/pre_aggregations/${schema}`,
    mysql: Object.freeze({
      host: env.CUBEJS_EXT_DB_HOST || '127.0.0.1',
      port: int('CUBEJS_EXT_DB_PORT', env.CUBEJS_EXT_DB_PORT, 3306, 1),
      user: env.CUBEJS_EXT_DB_USER ?? 'root',
      password: env.CUBEJS_EXT_DB_PASS ?? '',
      database: env.CUBEJS_EXT_DB_NAME || schema,
    }),
    schema,
    refreshWorker,
    refreshTimerSeconds: timer,
    refreshConcurrency: int('CUBEJS_SCHEDULED_REFRESH_CONCURRENCY', env.CUBEJS_SCHEDULED_REFRESH_CONCURRENCY, 1, 1),
    refreshTimezones: Object.freeze(timezones(env.CUBEJS_SCHEDULED_REFRESH_TIMEZONES)),
    batchSize: int('WEBCUBE_PREAGG_BATCH_SIZE', env.WEBCUBE_PREAGG_BATCH_SIZE, 10000, 1),
    dropGraceSeconds: int('WEBCUBE_PREAGG_DROP_GRACE_SECONDS', env.WEBCUBE_PREAGG_DROP_GRACE_SECONDS, 60),
    devMode,
  });
}
