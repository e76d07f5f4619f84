// Builds the per-request context every handler receives: request id, security context from
// checkAuth / JWT, the API-scope check, and cube.js `extendContext` additions.
import type { FastifyRequest } from 'fastify';
import type { Authenticator } from '../auth/authenticate.ts';
import { checkScope, type Scope } from '../auth/api-scopes.ts';
import { callHook } from '../auth/hook-error.ts';
import type { CubeOptions, RequestContext } from './cube-options.ts';
import { newRequestId } from './load-service.ts';

export type ContextFactory = (req: FastifyRequest, scope: Scope) => Promise<RequestContext>;

export function createContextFactory(authenticate: Authenticator, options: CubeOptions, defaultScopes: readonly string[]): ContextFactory {
  return async (req, scope) => {
    const requestId = newRequestId(req.headers['x-request-id']);
    (req as { requestId?: string }).requestId = requestId;
    const authReq = { headers: req.headers, url: req.url, method: req.method } as Parameters<Authenticator>[0];
    const securityContext = await authenticate(authReq);
    await checkScope(scope, securityContext, defaultScopes, options);
    const extendContext = options.extendContext;
    const extend = typeof extendContext === 'function'
      ? await callHook(() => (extendContext as (r: unknown) => unknown)(authReq)) as Record<string, unknown> | undefined
      : undefined;
    return Object.freeze({ ...(extend ?? {}), securityContext, authInfo: securityContext, requestId });
  };
}
