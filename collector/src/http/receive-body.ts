// Receives a POST body under the size and memory limits. Oversize bodies are answered 413 at
// once with a bad row holding a sample; the rest is drained unbuffered (so the client reads the
// 413 rather than a reset) up to a cap, then the connection is cut.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { overloaded, tooLarge } from '../errors.ts';
import { makeBadRow } from '../protocol/bad-row.ts';
import type { CollectorDeps } from './collector-deps.ts';
import { recordBad } from './ingest.ts';
import { readBody } from './read-body.ts';

const DRAIN_CAP_BYTES = 64 * 1024 * 1024;

/** Runs `handle` with the body while holding its bytes against the in-flight budget. */
export async function withBody<T>(req: IncomingMessage, res: ServerResponse, deps: CollectorDeps, maxBytes: number,
  source: string, handle: (body: Buffer) => Promise<T>): Promise<T> {
  const declared = Number(req.headers['content-length']) || 0;
  const { metrics } = deps;
  if (metrics.inflightBytes + Math.min(declared, maxBytes) > deps.config.maxInflightBytes) {
    metrics.rejectedOverload += 1;
    res.setHeader('Connection', 'close');
    throw overloaded('the collector is busy; retry later', 1);
  }
  const body = await readBody(req, maxBytes);
  if (!body.ok) {
    const size = body.declaredBytes ?? body.seenBytes;
    const reason = `size_violation: body of ${body.declaredBytes !== undefined ? `${size} bytes (declared)` : `more than ${size} bytes`} exceeds the limit of ${maxBytes}`;
    void recordBad(deps.store, makeBadRow(body.sample, reason, Date.now(), source), metrics);
    drainThenClose(req, res);
    throw tooLarge(`request body exceeds the limit of ${maxBytes} bytes`);
  }
  metrics.inflightBytes += body.body.length;
  try {
    return await handle(body.body);
  } finally {
    metrics.inflightBytes -= body.body.length;
  }
}

function drainThenClose(req: IncomingMessage, res: ServerResponse): void {
  res.setHeader('Connection', 'close');
  let drained = 0;
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > DRAIN_CAP_BYTES) req.socket.destroy();
  });
  req.resume();
}
