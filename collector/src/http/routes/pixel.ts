// GET /i, /ice.png and /com.snowplowanalytics.snowplow/{i,tp2}: one event in the query string,
// answered with the 1×1 GIF. A bad event still gets the pixel (a broken image helps nobody; the
// bad row keeps the reason), but only after its row is fsync'd.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { consentChangeOfParams } from '../../enrich/consent.ts';
import { requestMeta, type CollectorDeps } from '../collector-deps.ts';
import { ingest } from '../ingest.ts';
import { requestPrivacy } from '../request-privacy.ts';
import { PIXEL, send } from '../respond.ts';

const PIXEL_HEADERS = { 'Cache-Control': 'no-cache, no-store, must-revalidate', Pragma: 'no-cache', Expires: '0' };

export async function handlePixel(req: IncomingMessage, res: ServerResponse, query: URLSearchParams | undefined, deps: CollectorDeps): Promise<void> {
  const now = Date.now();
  const params: Record<string, string> = {};
  for (const [k, v] of query ?? []) params[k] = v;
  const change = deps.ctx.options.honourConsent ? consentChangeOfParams(params) : undefined;
  const privacy = requestPrivacy(req, query, deps.config.cookie, deps.ctx.options.honourConsent, change ? [change] : undefined);
  const headers: Record<string, string | string[]> = privacy.setCookies.length > 0 ? { ...PIXEL_HEADERS, 'Set-Cookie': privacy.setCookies } : PIXEL_HEADERS;
  // A bare GET with no parameters is a liveness probe or a prefetch, not an event (Snowplow stores nothing for it either).
  if (query && query.size > 0) {
    await ingest([params], [], requestMeta(req, deps, 'pixel', privacy, now), deps.ctx, deps.store, deps.metrics);
  }
  send(req, res, 200, PIXEL, 'image/gif', headers);
}
