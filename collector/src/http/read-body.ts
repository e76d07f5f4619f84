// Reads a request body up to a byte limit. Past the limit it stops keeping bytes (only a sample
// for the bad row) and lets the caller answer at once, so a 10 MB body never sits in memory.
import type { IncomingMessage } from 'node:http';
import { badRequest } from '../errors.ts';

export const SAMPLE_BYTES = 4096;

export type BodyResult =
  | { readonly ok: true; readonly body: Buffer }
  | { readonly ok: false; readonly sample: string; readonly seenBytes: number; readonly declaredBytes?: number };

export function readBody(req: IncomingMessage, maxBytes: number): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes || (Number.isFinite(declared) && declared > maxBytes)) {
        req.removeAllListeners('data');
        req.removeAllListeners('end');
        resolve(tooLarge(Buffer.concat([...chunks, chunk].slice(0, 2)), size, declared));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve({ ok: true, body: chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size) }));
    // A client that disconnects mid-body is not a server fault: no 500, no stack in the log.
    req.on('error', () => reject(badRequest('request aborted while reading the body')));
  });
}

function tooLarge(sample: Buffer, seenBytes: number, declared: number): BodyResult {
  return { ok: false, sample: sample.subarray(0, SAMPLE_BYTES).toString('utf8'), seenBytes, ...(Number.isFinite(declared) ? { declaredBytes: declared } : {}) };
}
