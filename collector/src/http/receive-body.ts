// Receives a POST body under the size and memory limits. Oversize bodies are answered 413 at
// once with a bad row holding a sample; the rest is drained unbuffered (so the client reads the
// 413 rather than a reset) up to a cap, then the connection is cut.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { badRequest, overloaded, tooLarge } from '../errors.ts';
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
    drainThenClose(req, res);
    // Awaited: the bad row is as durable as an acknowledged event before the client hears back.
    await recordBad(deps.store, makeBadRow(body.sample, reason, Date.now(), source), metrics);
    throw tooLarge(`request body exceeds the limit of ${maxBytes} bytes`);
  }
  let decoded: Buffer;
  try {
    decoded = decodeBody(body.body, req.headers['content-encoding'], maxBytes);
  } catch (error) {
    const sample = `base64:${body.body.subarray(0, 3072).toString('base64')}`;
    await recordBad(deps.store, makeBadRow(sample, `collector_payload_format_violation: ${(error as Error).message}`, Date.now(), source), metrics);
    throw error;
  }
  metrics.inflightBytes += decoded.length;
  try {
    return await handle(decoded);
  } finally {
    metrics.inflightBytes -= decoded.length;
  }
}

/** Server-side senders often compress; the limit applies to the decompressed size too (zip bombs). */
function decodeBody(body: Buffer, encoding: string | undefined, maxBytes: number): Buffer {
  const enc = encoding?.trim().toLowerCase();
  if (!enc || enc === 'identity') return body;
  const options = { maxOutputLength: maxBytes };
  try {
    if (enc === 'gzip' || enc === 'x-gzip') return gunzipSync(body, options);
    if (enc === 'deflate') return inflateSync(body, options);
    if (enc === 'br') return brotliDecompressSync(body, options);
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(`decompressed body exceeds the limit of ${maxBytes} bytes`);
    throw badRequest(`body is not valid ${enc}`);
  }
  throw badRequest(`unsupported Content-Encoding ${JSON.stringify(encoding)}`);
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
