// Splits a page or referrer URL into the *_url{scheme,host,port,path,query,fragment} columns as
// enrich does: default port 443 for https and 80 otherwise, path/query/fragment not decoded,
// tabs → 4 spaces and control characters removed (snowplow.md §3 step 1, pitfall 13).
import { LruCache } from './lru-cache.ts';
export interface UrlParts {
  readonly scheme: string; readonly host: string; readonly port: number;
  readonly path: string; readonly query: string | null; readonly fragment: string | null;
  readonly url: URL;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

// eslint-disable-next-line no-control-regex
const NEEDS_CLEANING = /[\u0000-\u001f\u007f]/;

export function cleanUrl(raw: string): string {
  // Nearly every URL is clean: one scan to find out instead of two replace passes.
  if (!NEEDS_CLEANING.test(raw)) return raw.trim();
  return raw.replace(/\t/g, '    ').replace(CONTROL, '').trim();
}

export function parseUrlParts(raw: string | null | undefined): UrlParts | undefined {
  if (!raw) return undefined;
  let url: URL;
  try { url = new URL(cleanUrl(raw)); } catch { return undefined; }
  const scheme = url.protocol.slice(0, -1);
  if (!url.host) return undefined;
  return {
    scheme,
    host: url.hostname,
    port: url.port ? Number(url.port) : scheme === 'https' ? 443 : 80,
    path: url.pathname || '/',
    query: url.search ? url.search.slice(1) : null,
    fragment: url.hash ? url.hash.slice(1) : null,
    url,
  };
}

const KEYS = {
  page: ['page_urlscheme', 'page_urlhost', 'page_urlport', 'page_urlpath', 'page_urlquery', 'page_urlfragment'],
  refr: ['refr_urlscheme', 'refr_urlhost', 'refr_urlport', 'refr_urlpath', 'refr_urlquery', 'refr_urlfragment'],
} as const;

/** Writes the six *_url* columns into `row` (in place: this runs for every event). */
export function setUrlColumns(row: Record<string, unknown>, prefix: 'page' | 'refr', parts: UrlParts | undefined): void {
  if (!parts) return;
  const k = KEYS[prefix];
  row[k[0]] = parts.scheme; row[k[1]] = parts.host; row[k[2]] = parts.port;
  row[k[3]] = parts.path;
  // Left unset rather than null: absent means NULL, and it keeps the spooled line short.
  if (parts.query !== null) row[k[4]] = parts.query;
  if (parts.fragment !== null) row[k[5]] = parts.fragment;
}

export function urlColumns(prefix: 'page' | 'refr', parts: UrlParts | undefined): Record<string, string | number | null> {
  const row: Record<string, string | number | null> = {};
  setUrlColumns(row, prefix, parts);
  return row;
}

/** Pages and referrers repeat heavily; parsed parts are immutable in use, so they can be shared. */
export function createUrlParser(capacity: number): (raw: string | null | undefined) => UrlParts | undefined {
  const cache = new LruCache<string, UrlParts | null>(capacity);
  return (raw) => {
    if (!raw) return undefined;
    let hit = cache.get(raw);
    if (hit === undefined) {
      hit = parseUrlParts(raw) ?? null;
      cache.set(raw, hit);
    }
    return hit ?? undefined;
  };
}
