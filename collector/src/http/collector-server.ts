// The collector's HTTP server on plain node:http (the hot path: no framework between the socket
// and the spool). Routes follow Snowplow's stream collector so trackers need no changes.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { CollectorError, notFound } from '../errors.ts';
import { logFailure } from '../log-failure.ts';
import { clientIp } from './client-ip.ts';
import type { CollectorDeps } from './collector-deps.ts';
import { preflightHeaders } from './cors.ts';
import { send, sendError } from './respond.ts';
import { handleBatch } from './routes/batch.ts';
import { handlePixel } from './routes/pixel.ts';
import { handleRedirect } from './routes/redirect.ts';
import { handleTp2 } from './routes/tp2.ts';

const PIXEL_PATHS = new Set(['/i', '/ice.png', '/com.snowplowanalytics.snowplow/i', '/com.snowplowanalytics.snowplow/tp2']);
const TP2_PATH = '/com.snowplowanalytics.snowplow/tp2';

type Route = 'tp2' | 'pixel' | 'batch' | 'redirect' | 'options' | 'health' | 'metrics' | 'robots' | 'other';

function classify(method: string, path: string): Route {
  if (method === 'OPTIONS') return 'options';
  if (method === 'POST' && path === TP2_PATH) return 'tp2';
  if ((method === 'GET' || method === 'HEAD') && PIXEL_PATHS.has(path)) return 'pixel';
  if (method === 'POST' && path === '/events/batch') return 'batch';
  if ((method === 'GET' || method === 'HEAD') && path === '/r/tp2') return 'redirect';
  if (method === 'GET' && path === '/health') return 'health';
  if (method === 'GET' && path === '/metrics') return 'metrics';
  if (method === 'GET' && path === '/robots.txt') return 'robots';
  return 'other';
}

/** The routes that take events: rate-limited, and timed to their ack. */
const TRACKING: ReadonlySet<Route> = new Set(['tp2', 'pixel', 'batch', 'redirect']);

/** The route's answer: a promise for the tracking routes, nothing for the others (answered at once). */
function dispatch(kind: Route, req: IncomingMessage, res: ServerResponse, deps: CollectorDeps, path: string, query: URLSearchParams | undefined): Promise<void> | void {
  if (deps.limiter && TRACKING.has(kind)) {
    const wait = deps.limiter.take(clientIp(req, deps.config.trustProxy) ?? 'unknown');
    if (wait > 0) throw new CollectorError(429, 'rate_limited', 'too many requests from this address; retry later', wait);
  }
  switch (kind) {
    case 'options': return send(req, res, 200, '', 'text/plain', preflightHeaders(req));
    case 'tp2': return handleTp2(req, res, query, deps);
    case 'pixel': return handlePixel(req, res, query, deps);
    case 'batch': return handleBatch(req, res, deps);
    case 'redirect': return handleRedirect(req, res, query, deps);
    case 'health': return send(req, res, 200, 'ok', 'text/plain');
    case 'metrics': return send(req, res, 200, deps.metrics.render(deps.store.stats()), 'text/plain; version=0.0.4');
    case 'robots': return send(req, res, 200, 'User-agent: *\nDisallow: /\n', 'text/plain');
    case 'other': throw notFound(`no route for ${req.method} ${path.slice(0, 200)}`);
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, deps: CollectorDeps): Promise<void> {
  const started = performance.now();
  const raw = req.url ?? '/';
  const q = raw.indexOf('?');
  const given = q < 0 ? raw : raw.slice(0, q);
  const path = Object.hasOwn(deps.config.paths, given) ? deps.config.paths[given] : given;
  const query = q < 0 ? undefined : new URLSearchParams(raw.slice(q + 1));
  const kind = classify(req.method ?? 'GET', path);
  try {
    await dispatch(kind, req, res, deps, path, query);
  } catch (error) {
    try {
      sendError(req, res, error);
    } catch (fault) {
      // Not even the error could be written: cut the connection rather than leave an unhandled rejection.
      logFailure('could not answer a request', fault);
      res.destroy();
    }
  } finally {
    deps.metrics.request(kind, res.statusCode);
    if (TRACKING.has(kind) && res.statusCode < 400) deps.metrics.ackLatency((performance.now() - started) / 1000);
  }
}

export function createCollectorServer(deps: CollectorDeps): Server {
  // 64 KiB of headers: GET trackers put whole base64 contexts in the request line (Snowplow allows 20 KiB + 40 KiB).
  const server = createServer({ keepAlive: true, maxHeaderSize: 64 * 1024 }, (req, res) => { void serve(req, res, deps); });
  // Longer than the usual 60 s load-balancer idle timeout, so the balancer closes first and never hits a half-closed socket.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  return server;
}
