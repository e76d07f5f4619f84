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

export function classifyReferer(refr: UrlParts | undefined, page: UrlParts | undefined, internalDomains: readonly string[]): RefererFields {
  if (!refr) return { refr_medium: null, refr_source: null, refr_term: null };
  if (isInternal(refr.host, page?.host, internalDomains)) return { refr_medium: 'internal', refr_source: null, refr_term: null };
  const entry = lookup(refr.host);
  if (!entry) return { refr_medium: 'unknown', refr_source: null, refr_term: null };
  let term: string | null = null;
  for (const p of entry.params ?? []) {
    const v = refr.url.searchParams.get(p);
    if (v) { term = v; break; }
  }
  return { refr_medium: entry.medium, refr_source: entry.source, refr_term: term };
}
