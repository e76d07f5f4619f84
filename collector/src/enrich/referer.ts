// Referer classification (Snowplow's referer_parser enrichment): refr_medium internal / search /
// social / email / unknown, refr_source and the search term.
import { refererTable, type RefererEntry } from './referer-table.ts';
import type { UrlParts } from './url-parts.ts';

export interface RefererFields { readonly refr_medium: string | null; readonly refr_source: string | null; readonly refr_term: string | null }

function lookup(host: string): RefererEntry | undefined {
  let h = host.toLowerCase().replace(/^www\d?\./, '');
  for (;;) {
    const hit = refererTable.get(h);
    if (hit) return hit;
    const dot = h.indexOf('.');
    if (dot < 0 || h.indexOf('.', dot + 1) < 0) return undefined;
    h = h.slice(dot + 1);
  }
}

function isInternal(host: string, pageHost: string | undefined, internalDomains: readonly string[]): boolean {
  const h = host.toLowerCase();
  if (pageHost && h === pageHost.toLowerCase()) return true;
  return internalDomains.some((d) => h === d || h.endsWith(`.${d}`));
}

const NONE: RefererFields = Object.freeze({ refr_medium: null, refr_source: null, refr_term: null });
const INTERNAL: RefererFields = Object.freeze({ refr_medium: 'internal', refr_source: null, refr_term: null });
const UNKNOWN: RefererFields = Object.freeze({ refr_medium: 'unknown', refr_source: null, refr_term: null });

/** Parsed URLs are cached and shared, and a referrer mostly comes with the same page host and
 *  settings: the last answer per referrer is kept. */
const memo = new WeakMap<UrlParts, { pageHost: string | undefined; internalDomains: readonly string[]; fields: RefererFields }>();

export function classifyReferer(refr: UrlParts | undefined, page: UrlParts | undefined, internalDomains: readonly string[]): RefererFields {
  if (!refr) return NONE;
  const pageHost = page?.host;
  const last = memo.get(refr);
  if (last !== undefined && last.pageHost === pageHost && last.internalDomains === internalDomains) return last.fields;
  const fields = classify(refr, pageHost, internalDomains);
  memo.set(refr, { pageHost, internalDomains, fields });
  return fields;
}

function classify(refr: UrlParts, pageHost: string | undefined, internalDomains: readonly string[]): RefererFields {
  if (isInternal(refr.host, pageHost, internalDomains)) return INTERNAL;
  const entry = lookup(refr.host);
  if (!entry) return UNKNOWN;
  let term: string | null = null;
  for (const p of entry.params ?? []) {
    const v = refr.url.searchParams.get(p);
    if (v) { term = v; break; }
  }
  return Object.freeze({ refr_medium: entry.medium, refr_source: entry.source, refr_term: term });
}
