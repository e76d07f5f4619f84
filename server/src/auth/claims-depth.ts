// How deep a token's claims may nest. The security context is cloned per request and walked by
// cube.js hooks; a signed payload nested 5,000 levels ran structuredClone out of stack (a 500 on
// every endpoint). No real context nests past a few levels.
import { AuthError } from '../errors.ts';

export const MAX_CLAIMS_DEPTH = 32;

/** Throws AuthError 403 for claims nesting deeper than MAX_CLAIMS_DEPTH; walks with a stack of its own. */
export function checkClaimsDepth(claims: unknown): void {
  const todo: [unknown, number][] = [[claims, 0]];
  while (todo.length > 0) {
    const [value, depth] = todo.pop()!;
    if (value === null || typeof value !== 'object') continue;
    if (depth >= MAX_CLAIMS_DEPTH) throw new AuthError(`Invalid token: its claims nest deeper than ${MAX_CLAIMS_DEPTH} levels`, 403);
    for (const v of Object.values(value)) todo.push([v, depth + 1]);
  }
}
