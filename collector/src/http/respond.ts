// Writes responses: tracker-style plain text, the 1×1 GIF, JSON, and the one error envelope
// (JSON with a clear message and a stable code, never a stack trace).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorError } from '../errors.ts';
import { logFailure } from '../log-failure.ts';
import { corsHeaderList } from './cors.ts';

/** Snowplow's 43-byte transparent pixel. */
export const PIXEL = Buffer.from('R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

type Headers = Readonly<Record<string, string | string[]>>;
const NONE: Headers = Object.freeze({});

/** Headers go to writeHead as one flat list (no header objects per response); a string body goes
 *  out in the same socket write as the head. */
export function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Headers = NONE): void {
  if (res.headersSent) return;
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
  const headers: (string | string[])[] = corsHeaderList(req);
  headers.push('Content-Type', type, 'Content-Length', String(length));
  for (const name in extra) headers.push(name, extra[name]);
  // node takes string[] values in the list too (several Set-Cookie lines); its type says string[] only.
  res.writeHead(status, headers as string[]);
  res.end(req.method === 'HEAD' ? undefined : body);
}

/** Every route answers errors in JSON, {error, code}: trackers read only the status, and people
 *  and tools reading the body get one shape everywhere. */
export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown, extra: Headers = NONE): number {
  const e = error instanceof CollectorError ? error : undefined;
  if (!e) logFailure(`internal error on ${req.method} ${(req.url ?? '').split('?')[0]!.slice(0, 200)}`, error);
  const status = e?.status ?? 500;
  const message = e?.message ?? 'internal error';
  const headers: Record<string, string | string[]> = { ...extra };
  if (e?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(e.retryAfterSeconds)));
  send(req, res, status, JSON.stringify({ error: message, code: e?.code ?? 'internal' }), 'application/json', headers);
  return status;
}
