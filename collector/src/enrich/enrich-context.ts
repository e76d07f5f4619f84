// The long-lived state enrichment needs (UA cache, geo database, settings), built once at start
// and shared by every request, so each enricher itself stays a pure function.
import { DEFAULT_MAX_JSON_DEPTH } from '../protocol/json-depth.ts';
import { createBotCheck } from './bot.ts';
import { createGeoLookup, type GeoLookup } from './geo.ts';
import { createUrlFieldsEnricher, type UrlFieldsEnricher } from './url-fields.ts';
import { createUrlParser, type UrlParts } from './url-parts.ts';
import { createUserAgentEnricher, type UserAgentFields } from './user-agent.ts';

export interface EnrichOptions {
  /** 'geoip-lite' (bundled, offline), 'off', or a MaxMind City .mmdb path. */
  readonly geoip: string;
  /** IPv4 octets (0–4) and IPv6 segments (0–8) replaced by "x" after the geo lookup; 0 keeps the IP. */
  readonly anonOctets: number;
  readonly anonSegments: number;
  /** Hosts (and their subdomains) whose referrals count as refr_medium=internal besides the page's own host. */
  readonly internalDomains: readonly string[];
  /** Entries in each cache (user agents, bot verdicts, parsed URLs, URL columns per page, geo by IP). */
  readonly uaCacheSize: number;
  readonly botDetection: boolean;
  /** A single event's raw parameters above this size become a size_violation bad row. */
  readonly maxEventBytes: number;
  /** ue_pr/ue_px and co/cx nesting deeper than this make the event a schema_violation bad row. */
  readonly maxJsonDepth: number;
  /** A consent withdrawal (consent plugin events) makes the visitor's later events identifier-free. */
  readonly honourConsent: boolean;
}

export const defaultEnrichOptions: EnrichOptions = Object.freeze({
  geoip: 'geoip-lite', anonOctets: 1, anonSegments: 5, internalDomains: [], uaCacheSize: 10_000,
  botDetection: true, maxEventBytes: 1024 * 1024, maxJsonDepth: DEFAULT_MAX_JSON_DEPTH, honourConsent: true,
});

export interface EnrichContext {
  readonly options: EnrichOptions;
  readonly collectorVersion: string;
  readonly etlVersion: string;
  readonly userAgent: (ua: string | null | undefined) => UserAgentFields;
  readonly geo: GeoLookup | undefined;
  readonly isBotUa: (ua: string) => boolean;
  readonly parseUrl: (raw: string | null | undefined) => UrlParts | undefined;
  readonly urlFields: UrlFieldsEnricher;
}

export const COLLECTOR_VERSION = 'webcube-collector-0.1.0';
export const ETL_VERSION = 'webcube-enrich-0.1.0';

/** Accepts the enrich options, or a whole CollectorConfig (its `enrich` part is used). */
export function createEnrichContext(config: Partial<EnrichOptions> | { readonly enrich: Partial<EnrichOptions> } = {}): EnrichContext {
  const given = 'enrich' in config ? config.enrich : config;
  const options: EnrichOptions = Object.freeze({ ...defaultEnrichOptions, ...given });
  const parseUrl = createUrlParser(options.uaCacheSize);
  return Object.freeze({
    options,
    collectorVersion: COLLECTOR_VERSION,
    etlVersion: ETL_VERSION,
    userAgent: createUserAgentEnricher(options.uaCacheSize),
    geo: createGeoLookup(options.geoip, options.uaCacheSize),
    isBotUa: createBotCheck(options.uaCacheSize),
    parseUrl,
    urlFields: createUrlFieldsEnricher(parseUrl, options.internalDomains, options.uaCacheSize),
  });
}
