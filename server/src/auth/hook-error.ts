// What an error thrown by a security hook of cube.js (checkAuth, contextToApiScopes, queryRewrite,
// extendContext, contextToAppId) means to the client. Cube's gateway turns such errors into auth
// errors: the hook is refusing this security context, so the answer is 403 with its message (401
// when it says so), never a 500.
import { AuthError, WebcubeError } from '../errors.ts';

export function hookError(error: unknown): WebcubeError {
  if (error instanceof WebcubeError) return error;
  const status = (error as { status?: unknown } | null)?.status;
  const message = error instanceof Error ? error.message : String(error);
  return new AuthError(message || 'Forbidden', status === 401 ? 401 : 403);
}

/** Runs a security hook, its failures made hookError's. */
export async function callHook<T>(run: () => T | Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw hookError(error);
  }
}
