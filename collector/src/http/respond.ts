// Writes responses: tracker-style plain text, the 1×1 GIF, JSON, and the one error envelope
// (a clear message and a stable code, never a stack trace).
import type { IncomingMessage, ServerResponse } from 'node:http';
import { CollectorError } from '../errors.ts';
import { corsHeaders } from './cors.ts';

/** Snowplow's 43-byte transparent pixel. */
export const PIXEL = Buffer.from('R0lGODlhAQABAPAAAP///wAAACH5BAUAAAAALAAAAAABAAEAAAICRAEAOw==', 'base64');

export function send(req: IncomingMessage, res: ServerResponse, status: number, body: string | Buffer, type: string, extra: Record<string, string | string[]> = {}): void {
  if (res.headersSent) return;
  const payload = typeof body === 'string' ? Buffer.from(body) : body;
  res.writeHead(status, { ...corsHeaders(req), 'Content-Type': type, 'Content-Length': String(payload.length), ...extra });
  res.end(req.method === 'HEAD' ? undefined : payload);
}

export function sendError(req: IncomingMessage, res: ServerResponse, error: unknown, json: boolean, extra: Record<string, string | string[]> = {}): number {
  const e = error instanceof CollectorError ? error : undefined;
  if (!e) console.error('collector: unexpected error:', error);
  const status = e?.status ?? 500;
  const message = e?.message ?? 'internal error';
  const headers: Record<string, string | string[]> = { ...extra };
  if (e?.retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(e.retryAfterSeconds)));
  if (json) send(req, res, status, JSON.stringify({ error: message, code: e?.code ?? 'internal' }), 'application/json', headers);
  else send(req, res, status, message, 'text/plain; charset=utf-8', headers);
  return status;
}
