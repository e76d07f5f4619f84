// Collector configuration: every COLLECTOR_* variable the HTTP layer and enrichment read, validated
// once at start and frozen; storage's own variables are loaded by loadStorageConfig.
import { z } from 'zod';
import { bool, int, list, parseEnvFields } from './env-fields.ts';
import { loadStorageConfig, type StorageConfig } from './storage/index.ts';
import type { EnrichOptions } from './enrich/enrich-context.ts';
import { DEFAULT_MAX_JSON_DEPTH } from './protocol/json-depth.ts';
import { collectorSinkKind, loadKafkaConfig, type KafkaConfig } from './kafka/kafka-config.ts';

export type SameSite = 'None' | 'Lax' | 'Strict';

export interface CookieConfig {
  readonly enabled: boolean;
  readonly name: string;
  /** Domain attribute: the first entry matching the request's Origin host, else fallbackDomain, else none. */
  readonly domains: readonly string[];
  readonly fallbackDomain?: string;
  readonly maxAgeSeconds: number;
  readonly sameSite: SameSite;
  readonly secure: boolean;
  readonly httpOnly: boolean;
}

export interface CollectorConfig {
  readonly host: string;
  readonly port: number;
  /** Honour X-Forwarded-For / Forwarded for the client IP (only behind a proxy you run). */
  readonly trustProxy: boolean;
  readonly cookie: CookieConfig;
  readonly maxBodyBytes: number;
  readonly maxEventsPerRequest: number;
  /** Bytes of request bodies being processed at once; above it new requests get 503 + Retry-After. */
  readonly maxInflightBytes: number;
  readonly requestTimeoutMs: number;
  /** GET /r/tp2?u=… click redirects; domains limit the targets (empty = any, only sensible on a private collector). */
  readonly redirects: { readonly enabled: boolean; readonly domains: readonly string[] };
  /** Requests per second per client IP on the tracking routes; 0 = no limit. */
  readonly rateLimitPerIp: number;
  /** Custom paths (e.g. to get past ad blockers, set as the tracker's postPath) → the standard path they stand for. */
  readonly paths: Readonly<Record<string, string>>;
  /** Bearer token required on POST /events/batch; unset = open like the tracker endpoints. */
  readonly batchToken?: string;
  readonly enrich: EnrichOptions;
  readonly storage: StorageConfig;
  /** Set when COLLECTOR_SINK=kafka: requests are acked once Kafka has them, instead of the local spool. */
  readonly kafka?: KafkaConfig;
}

const STANDARD_PATHS = ['/com.snowplowanalytics.snowplow/tp2', '/i', '/com.snowplowanalytics.snowplow/i'];

const fields = {
  COLLECTOR_HOST: z.string().min(1).default('0.0.0.0'),
  COLLECTOR_PORT: int(0, 65535).default(8080),
  COLLECTOR_TRUST_PROXY: bool.default(false),
  COLLECTOR_COOKIE_ENABLED: bool.default(true),
  COLLECTOR_COOKIE_NAME: z.string().regex(/^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/, 'must be a cookie token').default('sp'),
  COLLECTOR_COOKIE_DOMAINS: list.default([]),
  COLLECTOR_COOKIE_FALLBACK_DOMAIN: z.string().min(1).optional(),
  COLLECTOR_COOKIE_LIFETIME_DAYS: int(0, 3650).default(365),
  COLLECTOR_COOKIE_SAMESITE: z.enum(['None', 'Lax', 'Strict', 'none', 'lax', 'strict'])
    .transform((v) => (v[0].toUpperCase() + v.slice(1).toLowerCase()) as SameSite).default('None'),
  COLLECTOR_COOKIE_SECURE: bool.default(true),
  COLLECTOR_COOKIE_HTTPONLY: bool.default(true),
  COLLECTOR_MAX_BODY_BYTES: int(1024, 256 * 1024 * 1024).default(2 * 1024 * 1024),
  COLLECTOR_MAX_EVENT_BYTES: int(1024, 256 * 1024 * 1024).default(1024 * 1024),
  COLLECTOR_MAX_EVENTS_PER_REQUEST: int(1, 1_000_000).default(10_000),
  // At least the tp2 envelope's 3 levels plus one; at most what recursion over a value safely takes.
  COLLECTOR_MAX_JSON_DEPTH: int(4, 1000).default(DEFAULT_MAX_JSON_DEPTH),
  COLLECTOR_MAX_INFLIGHT_BYTES: int(1024 * 1024, Number.MAX_SAFE_INTEGER).default(256 * 1024 * 1024),
  COLLECTOR_REQUEST_TIMEOUT_MS: int(1000, 600_000).default(30_000),
  COLLECTOR_RATE_LIMIT_PER_IP: int(0, 1_000_000).default(0),
  COLLECTOR_REDIRECTS_ENABLED: bool.default(false),
  COLLECTOR_REDIRECT_DOMAINS: list.default([]),
  COLLECTOR_PATHS: z.string().transform((v, ctx) => {
    const out: Record<string, string> = {};
    for (const pair of v.split(',').map((s) => s.trim()).filter(Boolean)) {
      const [from, to] = pair.split('=').map((s) => s.trim());
      if (!from?.startsWith('/') || !STANDARD_PATHS.includes(to ?? '')) {
        ctx.addIssue({ code: 'custom', message: `each entry must be /custom/path=<one of ${STANDARD_PATHS.join(', ')}>` });
        return z.NEVER;
      }
      out[from] = to!;
    }
    return out;
  }).default({}),
  COLLECTOR_BATCH_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  COLLECTOR_GEOIP_DB: z.string().min(1).default('geoip-lite'),
  COLLECTOR_ANON_IP_OCTETS: int(0, 4).default(1),
  COLLECTOR_ANON_IP_SEGMENTS: int(0, 8).default(5),
  COLLECTOR_INTERNAL_DOMAINS: list.default([]),
  COLLECTOR_UA_CACHE_SIZE: int(0, 10_000_000).default(10_000),
  COLLECTOR_BOT_DETECTION: bool.default(true),
  COLLECTOR_CONSENT_ENFORCE: bool.default(true),
} as const;


export function loadCollectorConfig(env: Record<string, string | undefined>): CollectorConfig {
  const p = parseEnvFields(fields, env);
  const geoip = p.COLLECTOR_GEOIP_DB === 'none' ? 'off' : p.COLLECTOR_GEOIP_DB;
  const cookie: CookieConfig = {
    enabled: p.COLLECTOR_COOKIE_ENABLED, name: p.COLLECTOR_COOKIE_NAME, domains: Object.freeze(p.COLLECTOR_COOKIE_DOMAINS),
    ...(p.COLLECTOR_COOKIE_FALLBACK_DOMAIN ? { fallbackDomain: p.COLLECTOR_COOKIE_FALLBACK_DOMAIN } : {}),
    maxAgeSeconds: p.COLLECTOR_COOKIE_LIFETIME_DAYS * 86_400, sameSite: p.COLLECTOR_COOKIE_SAMESITE,
    secure: p.COLLECTOR_COOKIE_SECURE, httpOnly: p.COLLECTOR_COOKIE_HTTPONLY,
  };
  // Browsers drop SameSite=None cookies that are not Secure, which would silently churn network_userid.
  if (cookie.sameSite === 'None' && !cookie.secure) {
    throw new Error('COLLECTOR_COOKIE_SECURE: must be true when COLLECTOR_COOKIE_SAMESITE is None (browsers reject it otherwise)');
  }
  const enrich: EnrichOptions = {
    geoip, anonOctets: p.COLLECTOR_ANON_IP_OCTETS, anonSegments: p.COLLECTOR_ANON_IP_SEGMENTS,
    internalDomains: Object.freeze(p.COLLECTOR_INTERNAL_DOMAINS), uaCacheSize: p.COLLECTOR_UA_CACHE_SIZE,
    botDetection: p.COLLECTOR_BOT_DETECTION, maxEventBytes: p.COLLECTOR_MAX_EVENT_BYTES, maxJsonDepth: p.COLLECTOR_MAX_JSON_DEPTH,
    honourConsent: p.COLLECTOR_CONSENT_ENFORCE,
  };
  return Object.freeze({
    host: p.COLLECTOR_HOST, port: p.COLLECTOR_PORT, trustProxy: p.COLLECTOR_TRUST_PROXY,
    cookie: Object.freeze(cookie),
    maxBodyBytes: p.COLLECTOR_MAX_BODY_BYTES, maxEventsPerRequest: p.COLLECTOR_MAX_EVENTS_PER_REQUEST,
    maxInflightBytes: p.COLLECTOR_MAX_INFLIGHT_BYTES, requestTimeoutMs: p.COLLECTOR_REQUEST_TIMEOUT_MS,
    paths: Object.freeze(p.COLLECTOR_PATHS),
    rateLimitPerIp: p.COLLECTOR_RATE_LIMIT_PER_IP,
    redirects: Object.freeze({ enabled: p.COLLECTOR_REDIRECTS_ENABLED, domains: Object.freeze(p.COLLECTOR_REDIRECT_DOMAINS) }),
    ...(p.COLLECTOR_BATCH_TOKEN ? { batchToken: p.COLLECTOR_BATCH_TOKEN } : {}),
    enrich: Object.freeze(enrich),
    storage: loadStorageConfig(env),
    ...(collectorSinkKind(env) === 'kafka' ? { kafka: loadKafkaConfig(env, 'COLLECTOR_SINK=kafka') } : {}),
  });
}
