// Cube's API scopes: which routes a security context may call (`contextToApiScopes` in cube.js,
// CUBEJS_DEFAULT_API_SCOPES otherwise); a missing scope is a 403, and so is a hook that throws.
import { AuthError } from '../errors.ts';
import type { CubeOptions } from '../api/cube-options.ts';
import { callHook } from './hook-error.ts';
import type { SecurityContext } from './verify-token.ts';

export type Scope = 'graphql' | 'meta' | 'data' | 'jobs' | 'admin';

/** The token claim (OAuth's space-separated `scope`) that grants `admin`; never in the defaults. */
export const ADMIN_TOKEN_SCOPE = 'webcube:admin';

function tokenScopes(securityContext: SecurityContext): string[] {
  const claim = (securityContext as Record<string, unknown>).scope;
  const list = typeof claim === 'string' ? claim.split(' ') : Array.isArray(claim) ? claim.map(String) : [];
  return list.includes(ADMIN_TOKEN_SCOPE) ? ['admin'] : [];
}

export async function checkScope(
  scope: Scope,
  securityContext: SecurityContext,
  defaults: readonly string[],
  options: CubeOptions,
): Promise<void> {
  const hook = options.contextToApiScopes;
  const scopes = hook ? await callHook(() => hook(securityContext, [...defaults])) : defaults;
  if (!Array.isArray(scopes)) throw new AuthError('contextToApiScopes must return an array of scopes', 403);
  // Erasure and other admin routes: granted by contextToApiScopes or the token's own scope claim only.
  if (scope === 'admin' && tokenScopes(securityContext).includes('admin')) return;
  if (!scopes.includes(scope)) throw new AuthError(`API scope is missing: ${scope}`, 403);
}
