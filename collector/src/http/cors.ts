// CORS as Snowplow's collector does it: the trackers send credentials, so the Origin is echoed
// (never "*" when an Origin is present) with Allow-Credentials on every response (snowplow.md
// pitfall 1).
import type { IncomingMessage } from 'node:http';

/** Longer than any real origin (a scheme, a 253-character host and a port); a longer Origin is not
 *  echoed, so a request cannot make the answer's headers as big as its own. */
const MAX_ORIGIN = 300;

/** The CORS headers of every response, as a flat [name, value, …] list for writeHead. */
export function corsHeaderList(req: IncomingMessage): string[] {
  const origin = req.headers.origin;
  const echo = origin && origin !== 'null' && origin.length <= MAX_ORIGIN;
  return ['Access-Control-Allow-Origin', echo ? origin : '*', 'Access-Control-Allow-Credentials', 'true', 'Vary', 'Origin'];
}

/** What a preflight answer adds to those. */
export function preflightHeaders(req: IncomingMessage): Record<string, string> {
  const requested = req.headers['access-control-request-headers'];
  return {
    'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
    // Content-Type and SP-Anonymous are what the trackers send; custom headers configured in a tracker are echoed too.
    'Access-Control-Allow-Headers': requested && requested.length <= MAX_ORIGIN * 4 ? `Content-Type, SP-Anonymous, ${requested}` : 'Content-Type, SP-Anonymous',
    'Access-Control-Max-Age': '3600',
  };
}
