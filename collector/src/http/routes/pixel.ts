// GET /i, /ice.png and /com.snowplowanalytics.snowplow/{i,tp2}: one event in the query string,
// answered with the 1×1 GIF. A bad event still gets the pixel (a broken image helps nobody; the
// bad row keeps the reason), but only after its row is fsync'd.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isAnonymous, requestMeta, type CollectorDeps } from '../collector-deps.ts';
import { ingest } from '../ingest.ts';
import { networkUserId } from '../network-cookie.ts';
import { PIXEL, send } from '../respond.ts';

const PIXEL_HEADERS = { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', Expires: '0' };

export async function handlePixel(req: IncomingMessage, res: ServerResponse, query: URLSearchParams | undefined, deps: CollectorDeps): Promise<void> {
  const now = Date.now();
  const nuid = networkUserId(req, query, deps.config.cookie, isAnonymous(req));
  const headers: Record<string, string> = nuid.setCookie ? { ...PIXEL_HEADERS, 'Set-Cookie': nuid.setCookie } : PIXEL_HEADERS;
  // A bare GET with no parameters is a liveness probe or a prefetch, not an event (Snowplow stores nothing for it either).
  if (query && query.size > 0) {
    const params: Record<string, string> = {};
    for (const [k, v] of query) params[k] = v;
    await ingest([params], [], requestMeta(req, deps, 'pixel', nuid.id, now), deps.ctx, deps.store, deps.metrics);
  }
  send(req, res, 200, PIXEL, 'image/gif', headers);
}
