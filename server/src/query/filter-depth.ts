// The nesting of a raw query's and/or filters, checked before anything recurses over them (the
// schema, normalisation, the SQL renderer, a cube.js queryRewrite): 1,200 levels ran them out of
// stack and answered 500 (issue #18). No real query nests anywhere near the limit.
import { UserError } from '../errors.ts';

export const MAX_FILTER_DEPTH = 32;

/** Throws a UserError when `filters` nest deeper than MAX_FILTER_DEPTH; walks with a stack of its own. */
export function checkFilterDepth(filters: unknown): void {
  const todo: [unknown, number][] = [[filters, 1]];
  while (todo.length > 0) {
    const [list, depth] = todo.pop()!;
    if (!Array.isArray(list)) continue;
    if (depth > MAX_FILTER_DEPTH) throw new UserError(`Invalid query format: filters nest deeper than ${MAX_FILTER_DEPTH} levels`);
    for (const f of list) {
      if (f === null || typeof f !== 'object') continue;
      const { and, or } = f as { and?: unknown; or?: unknown };
      if (and !== undefined) todo.push([and, depth + 1]);
      if (or !== undefined) todo.push([or, depth + 1]);
    }
  }
}
