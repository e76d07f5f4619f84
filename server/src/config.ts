// The semantic layer's configuration: every environment variable it reads, validated once at
// start with Cube's names (CUBEJS_*, PORT) and webcube's own (WEBCUBE_*), then frozen.
import { z } from 'zod';
import { DEFAULT_EVENTS_TABLE } from './model/resolve-template.ts';

const bool = (name: string, fallback: boolean) => z.string().optional().transform((v, ctx) => {
  if (v === undefined || v === '') return fallback;
  if (/^(true|1|yes)$/i.test(v)) return true;
  if (/^(false|0|no)$/i.test(v)) return false;
  ctx.addIssue({ code: 'custom', message: `${name} must be true or false, got "${v}"` });
  return z.NEVER;
});

const int = (name: string, fallback: number, min: number, max: number) => z.string().optional().transform((v, ctx) => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isInteger(n) || n < min || n > max) {
    ctx.addIssue({ code: 'custom', message: `${name} must be an integer between ${min} and ${max}, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

const seconds = (name: string, fallback: number) => z.string().optional().transform((v, ctx) => {
  if (v === undefined || v === '') return fallback;
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) {
    ctx.addIssue({ code: 'custom', message: `${name} must be a number of seconds ≥ 0, got "${v}"` });
    return z.NEVER;
  }
  return n;
});

const str = (fallback?: string) => z.string().optional().transform((v) => (v === undefined || v === '' ? fallback : v));

// An unquoted SQL name of 1–3 dotted parts (table, schema.table, catalog.schema.table): it is
// written into the model's SQL as is, so nothing else may get through.
const DOTTED_NAME = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*){0,2}$/;
const sqlName = (name: string, fallback: string) => str(fallback).refine((v) => DOTTED_NAME.test(v!), {
  message: `${name} must be a table name of 1 to 3 dotted parts (e.g. atomic.events or hive.atomic.events)`,
});

const DB_TYPES = ['duckdb', 'mysql', 'prestodb', 'presto', 'trino', 'athena'] as const;
const LOG_LEVELS = ['error', 'warn', 'info', 'trace'] as const;

const schema = z.object({
  PORT: int('PORT', 4000, 0, 65535),
  WEBCUBE_HOST: str('0.0.0.0'),
  CUBEJS_API_SECRET: str(),
  CUBEJS_DEV_MODE: bool('CUBEJS_DEV_MODE', false),
  CUBEJS_SCHEMA_PATH: str('schema'),
  CUBEJS_DB_TYPE: str('duckdb').refine((v) => DB_TYPES.includes(v as never), {
    message: `CUBEJS_DB_TYPE must be one of ${DB_TYPES.join(', ')}`,
  }),
  WEBCUBE_DATA_DIR: str('./data'),
  WEBCUBE_EVENTS_TABLE: sqlName('WEBCUBE_EVENTS_TABLE', DEFAULT_EVENTS_TABLE),
  WEBCUBE_CONFIG_FILE: str('cube.js'),
  WEBCUBE_DASHBOARD_DIR: str('dashboard-app/dist'),
  CUBEJS_JWT_KEY: str(),
  CUBEJS_JWT_ALGS: str(),
  CUBEJS_JWT_AUDIENCE: str(),
  CUBEJS_JWT_ISSUER: str(),
  CUBEJS_JWT_SUBJECT: str(),
  CUBEJS_JWT_CLAIMS_NAMESPACE: str(),
  CUBEJS_JWK_URL: str(),
  CUBEJS_CONTINUE_WAIT_TIMEOUT: seconds('CUBEJS_CONTINUE_WAIT_TIMEOUT', 5),
  CUBEJS_CACHE_TTL: seconds('CUBEJS_CACHE_TTL', 10),
  WEBCUBE_CACHE_MAX_ENTRIES: int('WEBCUBE_CACHE_MAX_ENTRIES', 1000, 0, 10_000_000),
  WEBCUBE_CACHE_MAX_CELLS: int('WEBCUBE_CACHE_MAX_CELLS', 5_000_000, 0, 1_000_000_000),
  CUBEJS_CONCURRENCY: int('CUBEJS_CONCURRENCY', 0, 0, 10_000),
  WEBCUBE_MAX_QUEUE: int('WEBCUBE_MAX_QUEUE', 1000, 0, 1_000_000),
  CUBEJS_DB_QUERY_DEFAULT_LIMIT: int('CUBEJS_DB_QUERY_DEFAULT_LIMIT', 10000, 1, 100_000_000),
  CUBEJS_DB_QUERY_LIMIT: int('CUBEJS_DB_QUERY_LIMIT', 50000, 1, 100_000_000),
  WEBCUBE_MAX_BODY_BYTES: int('WEBCUBE_MAX_BODY_BYTES', 1024 * 1024, 1024, 100 * 1024 * 1024),
  CUBEJS_LOG_LEVEL: str('warn').refine((v) => LOG_LEVELS.includes(v as never), {
    message: `CUBEJS_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`,
  }),
  CUBEJS_DEFAULT_API_SCOPES: str(),
  CUBEJS_REFRESH_WORKER: str(),
});

const SCOPES = ['graphql', 'meta', 'data', 'jobs'] as const;
export type ApiScope = typeof SCOPES[number];

export type ServerConfig = Readonly<{
  port: number;
  host: string;
  apiSecret: string | undefined;
  devMode: boolean;
  schemaPath: string;
  dbType: string;
  dataDir: string;
  /** What `{EVENTS_TABLE}` stands for in model SQL. */
  eventsTable: string;
  configFile: string;
  dashboardDir: string;
  jwt: Readonly<{ key?: string; algorithms?: readonly string[]; audience?: string; issuer?: string; subject?: string; claimsNamespace?: string; jwkUrl?: string }>;
  continueWaitTimeoutMs: number;
  cacheTtlMs: number;
  cacheMaxEntries: number;
  /** Memory budget of the result cache, in result cells (rows × columns). */
  cacheMaxCells: number;
  /** Engine queries run at once; 0 = the engine's default (10 for Athena, 4 otherwise). */
  concurrency: number;
  /** Queries allowed to wait for a slot before new ones get 503. */
  maxQueue: number;
  defaultLimit: number;
  maxLimit: number;
  maxBodyBytes: number;
  logLevel: string;
  defaultApiScopes: readonly ApiScope[];
  refreshWorker: boolean;
  /** The raw environment, handed to the driver and pre-aggregation factories (CUBEJS_DB_*, CUBEJS_EXT_DB_*). */
  env: Readonly<Record<string, string | undefined>>;
}>;

export function loadServerConfig(env: Record<string, string | undefined>): ServerConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? '');
    throw new Error(issue.message.includes(name) ? issue.message : `${name}: ${issue.message}`);
  }
  const e = parsed.data;
  // Cube's default leaves out `jobs`: building pre-aggregations must be granted explicitly.
  const scopes = (e.CUBEJS_DEFAULT_API_SCOPES ?? 'meta,data,graphql').split(',').map((s) => s.trim()).filter(Boolean);
  const badScope = scopes.find((s) => !SCOPES.includes(s as ApiScope));
  if (badScope) throw new Error(`CUBEJS_DEFAULT_API_SCOPES: unknown scope "${badScope}" (allowed: ${SCOPES.join(', ')})`);
  if (e.CUBEJS_JWT_ALGS && !e.CUBEJS_JWT_ALGS.split(',').every((a) => /^(HS|RS|ES|PS)(256|384|512)$|^EdDSA$/.test(a.trim()))) {
    throw new Error(`CUBEJS_JWT_ALGS: unsupported algorithm list "${e.CUBEJS_JWT_ALGS}"`);
  }
  if (e.CUBEJS_JWK_URL && !/^https?:\/\//.test(e.CUBEJS_JWK_URL)) throw new Error('CUBEJS_JWK_URL must be an http(s) URL');
  const refreshWorker = e.CUBEJS_REFRESH_WORKER === undefined ? e.CUBEJS_DEV_MODE : /^(true|1)$/i.test(e.CUBEJS_REFRESH_WORKER);
  return Object.freeze({
    port: e.PORT,
    host: e.WEBCUBE_HOST!,
    apiSecret: e.CUBEJS_API_SECRET,
    devMode: e.CUBEJS_DEV_MODE,
    schemaPath: e.CUBEJS_SCHEMA_PATH!,
    dbType: e.CUBEJS_DB_TYPE!,
    dataDir: e.WEBCUBE_DATA_DIR!,
    eventsTable: e.WEBCUBE_EVENTS_TABLE!,
    configFile: e.WEBCUBE_CONFIG_FILE!,
    dashboardDir: e.WEBCUBE_DASHBOARD_DIR!,
    jwt: Object.freeze({
      key: e.CUBEJS_JWT_KEY,
      algorithms: e.CUBEJS_JWT_ALGS ? Object.freeze(e.CUBEJS_JWT_ALGS.split(',').map((a) => a.trim())) : undefined,
      audience: e.CUBEJS_JWT_AUDIENCE,
      issuer: e.CUBEJS_JWT_ISSUER,
      subject: e.CUBEJS_JWT_SUBJECT,
      claimsNamespace: e.CUBEJS_JWT_CLAIMS_NAMESPACE,
      jwkUrl: e.CUBEJS_JWK_URL,
    }),
    continueWaitTimeoutMs: e.CUBEJS_CONTINUE_WAIT_TIMEOUT * 1000,
    cacheTtlMs: e.CUBEJS_CACHE_TTL * 1000,
    cacheMaxEntries: e.WEBCUBE_CACHE_MAX_ENTRIES,
    cacheMaxCells: e.WEBCUBE_CACHE_MAX_CELLS,
    concurrency: e.CUBEJS_CONCURRENCY || (e.CUBEJS_DB_TYPE === 'athena' ? 10 : 4),
    maxQueue: e.WEBCUBE_MAX_QUEUE,
    defaultLimit: e.CUBEJS_DB_QUERY_DEFAULT_LIMIT,
    maxLimit: e.CUBEJS_DB_QUERY_LIMIT,
    maxBodyBytes: e.WEBCUBE_MAX_BODY_BYTES,
    logLevel: e.CUBEJS_LOG_LEVEL!,
    defaultApiScopes: Object.freeze(scopes as ApiScope[]),
    refreshWorker,
    env: Object.freeze({ ...env }),
  });
}
