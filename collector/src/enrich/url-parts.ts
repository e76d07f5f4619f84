// Splits a page or referrer URL into the *_url{scheme,host,port,path,query,fragment} columns as
// enrich does: default port 443 for https and 80 otherwise, path/query/fragment not decoded,
// tabs → 4 spaces and control characters removed (snowplow.md §3 step 1, pitfall 13).
export interface UrlParts {
  readonly scheme: string; readonly host: string; readonly port: number;
  readonly path: string; readonly query: string | null; readonly fragment: string | null;
  readonly url: URL;
}

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000a-\u001f\u007f]/g;

export function cleanUrl(raw: string): string {
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

export function urlColumns(prefix: 'page' | 'refr', parts: UrlParts | undefined): Record<string, string | number | null> {
  if (!parts) return {};
  return {
    [`${prefix}_urlscheme`]: parts.scheme, [`${prefix}_urlhost`]: parts.host, [`${prefix}_urlport`]: parts.port,
    [`${prefix}_urlpath`]: parts.path, [`${prefix}_urlquery`]: parts.query, [`${prefix}_urlfragment`]: parts.fragment,
  };
}
