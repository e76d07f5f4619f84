// Cube's API scopes: which routes a security context may call (`contextToApiScopes` in cube.js,
// CUBEJS_DEFAULT_API_SCOPES otherwise); a missing scope is a 403, and so is a hook that throws.
import { AuthError } from '../errors.ts';
import type { CubeOptions } from '../api/cube-options.ts';
import { callHook } from './hook-error.ts';
import type { SecurityContext } from './verify-token.ts';

export type Scope = 'graphql' | 'meta' | 'data' | 'jobs';

export async function checkScope(
  scope: Scope,
  securityContext: SecurityContext,
  defaults: readonly string[],
  options: CubeOptions,
): Promise<void> {
  const hook = options.contextToApiScopes;
  const scopes = hook ? await callHook(() => hook(securityContext, [...defaults])) : defaults;
  if (!Array.isArray(scopes)) throw new AuthError('contextToApiScopes must return an array of scopes', 403);
  if (!scopes.includes(scope)) throw new AuthError(`API scope is missing: ${scope}`, 403);
}
