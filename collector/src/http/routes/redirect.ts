// GET /r/tp2?u=<url>: click tracking for links (emails, ads) as Snowplow's collector and its
// RedirectAdapter do it: 302 to `u` and a uri_redirect event (or, with e=…, the tracked event with
// uri_redirect as a context). Off by default and limited to COLLECTOR_REDIRECT_DOMAINS, since an
// open redirect on your own domain is a phishing tool.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, notFound } from '../../errors.ts';
import { encodeBase64Url } from '../../protocol/base64url.ts';
import { requestMeta, type CollectorDeps } from '../collector-deps.ts';
import { ingest } from '../ingest.ts';
import { requestPrivacy } from '../request-privacy.ts';
import { send } from '../respond.ts';

const URI_REDIRECT = 'iglu:com.snowplowanalytics.snowplow/uri_redirect/jsonschema/1-0-0';

function target(raw: string | null, allowed: readonly string[]): URL {
  let url: URL;
  try { url = new URL(raw ?? ''); } catch { throw badRequest('u must be an absolute http(s) URL'); }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw badRequest('u must be an absolute http(s) URL');
  const host = url.hostname.toLowerCase();
  if (allowed.length > 0 && !allowed.some((d) => host === d || host.endsWith(`.${d}`))) throw badRequest('redirect target not allowed');
  return url;
}

export async function handleRedirect(req: IncomingMessage, res: ServerResponse, query: URLSearchParams | undefined, deps: CollectorDeps): Promise<void> {
  const { redirects } = deps.config;
  if (!redirects.enabled) throw notFound('redirects disabled');
  const url = target(query?.get('u') ?? null, redirects.domains);
  const now = Date.now();
  const params: Record<string, string> = {};
  for (const [k, v] of query ?? []) if (k !== 'u') params[k] = v;
  const entity = { schema: URI_REDIRECT, data: { uri: url.href } };
  if (params.e) {
    params.cx = encodeBase64Url(JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-1', data: [entity] }));
  } else {
    params.e = 'ue';
    params.ue_px = encodeBase64Url(JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: entity }));
  }
  params.tv ??= 'r-tp2';
  params.p ??= 'web';
  const privacy = requestPrivacy(req, query, deps.config.cookie, deps.ctx.options.honourConsent);
  try {
    await ingest([params], [], requestMeta(req, deps, 'redirect', privacy, now), deps.ctx, deps.store, deps.metrics);
  } catch {
    // A person is waiting on this link: send them on even when the click cannot be stored (counted in
    // webcube_collector_rejected_overload_total); a 503 page would lose the visit as well as the event.
  }
  send(req, res, 302, '', 'text/plain', { Location: url.href, 'Cache-Control': 'no-cache, no-store, must-revalidate', ...(privacy.setCookies.length > 0 ? { 'Set-Cookie': privacy.setCookies } : {}) });
}
