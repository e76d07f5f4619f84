// How deep a GraphQL document nests ({ selections }, [lists], (arguments)), read from the text
// before graphql-js parses it: its parser and the resolvers recurse per level, and a document 5,000
// levels deep made the parser run out of stack (answered with "Maximum call stack size exceeded").
// Strings, block strings and comments are skipped.
import { UserError } from '../errors.ts';

export const MAX_DOCUMENT_DEPTH = 64;

export function documentDepth(source: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source.charCodeAt(i);
    if (c === 35 /* # */) {
      while (i < source.length && source.charCodeAt(i) !== 10 && source.charCodeAt(i) !== 13) i++;
    } else if (c === 34 /* " */) {
      if (source.startsWith('"""', i)) {
        const end = source.indexOf('"""', i + 3);
        i = end < 0 ? source.length : end + 2;
      } else {
        for (i++; i < source.length; i++) {
          const s = source.charCodeAt(i);
          if (s === 92) i++;
          else if (s === 34 || s === 10 || s === 13) break;
        }
      }
    } else if (c === 123 || c === 91 || c === 40) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 125 || c === 93 || c === 41) depth--;
  }
  return max;
}

export function checkDocumentDepth(source: string): void {
  if (source.length > MAX_DOCUMENT_DEPTH * 2 && documentDepth(source, MAX_DOCUMENT_DEPTH) > MAX_DOCUMENT_DEPTH) {
    throw new UserError(`The GraphQL document nests deeper than ${MAX_DOCUMENT_DEPTH} levels`);
  }
}
