// How deep JSON text nests, read from the text before JSON.parse. V8 parses any depth (its parser
// is iterative), but JSON.stringify, structured clone and every recursive walk over the value run
// out of stack near 10,000 levels: one such value stopped ingestion for good (issue #18). So every
// JSON the collector accepts is held to COLLECTOR_MAX_JSON_DEPTH here, at the boundary.

/** The default limit: no tracker nests its payloads this deep, and it leaves recursion plenty of stack. */
export const DEFAULT_MAX_JSON_DEPTH = 40;

/** Nesting depth of JSON text (objects and arrays), skipping strings; stops counting past `stopAbove`. */
export function jsonDepth(text: string, stopAbove = Number.POSITIVE_INFINITY): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34) i = stringEnd(text, i);
    else if (c === 123 || c === 91) {
      if (++depth > max) {
        max = depth;
        if (max > stopAbove) return max;
      }
    } else if (c === 125 || c === 93) depth--;
  }
  return max;
}

/** The index of the quote closing the string opened at `open` (the text's end if none). Found with
 *  indexOf, which is several times faster than a loop over every character: most of a tracker's
 *  payload is inside strings. A quote is escaped when an odd number of backslashes precede it. */
function stringEnd(text: string, open: number): number {
  let at = open;
  for (;;) {
    at = text.indexOf('"', at + 1);
    if (at < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(at - 1 - backslashes) === 92) backslashes++;
    if (backslashes % 2 === 0) return at;
  }
}

/** The reason JSON text is refused for its depth, or undefined when it is within `maxDepth`. A text
 *  shorter than twice the limit cannot exceed it, so small values cost no scan. */
export function jsonTooDeep(text: string, maxDepth: number, what: string): string | undefined {
  if (text.length <= maxDepth * 2) return undefined;
  return jsonDepth(text, maxDepth) > maxDepth ? `${what} nests deeper than ${maxDepth} levels` : undefined;
}
