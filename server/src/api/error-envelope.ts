// The one place errors become HTTP answers in Cube's envelope: `{ error }` with Cube's status
// codes (UserError 400 with `type`, auth 403, Continue wait 200), stacks only in dev mode.
import { WebcubeError } from '../errors.ts';
import { ContinueWait } from './query-runner.ts';

export type ErrorReply = { status: number; body: Record<string, unknown>; headers?: Record<string, string> };

export function toErrorReply(error: unknown, opts: { devMode: boolean; requestId?: string }): ErrorReply {
  const withDebug = (body: Record<string, unknown>) => {
    if (opts.requestId) body.requestId = opts.requestId;
    if (opts.devMode && error instanceof Error && error.stack) body.stack = error.stack;
    return body;
  };
  if (error instanceof ContinueWait) {
    return { status: 200, body: opts.requestId ? { error: 'Continue wait', requestId: opts.requestId } : { error: 'Continue wait' } };
  }
  if (error instanceof WebcubeError) {
    const body: Record<string, unknown> = error.status === 400 && error.code === 'USER_ERROR'
      ? { type: 'UserError', error: error.message }
      : { error: error.message };
    const headers = error.status === 503 && 'retryAfterSeconds' in error
      ? { 'retry-after': String((error as { retryAfterSeconds: number }).retryAfterSeconds) }
      : undefined;
    return { status: error.status, body: withDebug(body), headers };
  }
  // Fastify's own errors (bad JSON body, body too large, unsupported media type) carry a 4xx status.
  const statusCode = (error as { statusCode?: unknown }).statusCode;
  if (typeof statusCode === 'number' && statusCode >= 400 && statusCode < 500) {
    return { status: statusCode, body: withDebug({ error: (error as Error).message }) };
  }
  const text = error instanceof Error ? `${error.name === 'Error' ? 'Error' : error.name}: ${error.message}` : String(error);
  return { status: 500, body: withDebug({ error: text }) };
}
