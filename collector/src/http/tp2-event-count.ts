// The tp2 envelope check on the request path, answering how many events a valid body holds.
// JSON.parse would build every event only to drop it (the body is spooled as text and parsed
// again at flush): a third of the request path's CPU. The shape every tracker sends,
// `{"schema":"…payload_data…","data":[{"k":"v",…},…]}`, is proven valid JSON by regexes instead,
// 4-5× cheaper. Any other body, valid or not, gets checkTp2Envelope's JSON.parse and its answer.
import { DEFAULT_MAX_JSON_DEPTH } from '../protocol/json-depth.ts';
import { checkTp2Envelope } from '../protocol/parse-tp2.ts';

/** JSON's whitespace (RFC 8259 §2); `\s` and String.prototype.trim accept more than JSON.parse does. */
const WS = '[ \\t\\n\\r]*';
/** A JSON string (RFC 8259 §7): no raw `"`, `\` or control characters, valid escapes only. The
 *  unrolled-loop form keeps the engine from trying several ways through one string. */
const STRING = String.raw`"[^"\\\x00-\x1f]*(?:\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})[^"\\\x00-\x1f]*)*"`;
/** One event, an object of string values, and the `,` or `]` after it, with `ws` between tokens. */
const event = (ws: string) => {
  const pair = `${STRING}${ws}:${ws}${STRING}`;
  return new RegExp(`${ws}\\{${ws}(?:${pair}${ws}(?:,${ws}${pair}${ws})*)?\\}${ws}[,\\]]`, 'y');
};
/** As JSON.stringify writes it (trackers in JS), a third cheaper than allowing whitespace everywhere. */
const COMPACT_EVENT = event('');
const SPACED_EVENT = event(WS);
/** The schema as checkTp2Envelope wants it; `\/` is how some JSON encoders (PHP's) write `/`. */
const SCHEMA = String.raw`"schema"${WS}:${WS}"iglu:com\.snowplowanalytics\.snowplow\\?/payload_data\\?/jsonschema\\?/1-0-\d+"`;
const DATA = `"data"${WS}:${WS}\\[`;
// Exactly the two keys, written plainly, so no duplicate or escaped key can change what JSON.parse would see.
const SCHEMA_FIRST = new RegExp(`${WS}\\{${WS}${SCHEMA}${WS},${WS}${DATA}`, 'y');
const SCHEMA_FIRST_END = new RegExp(`${WS}\\}${WS}$`, 'y');
const DATA_FIRST = new RegExp(`${WS}\\{${WS}${DATA}`, 'y');
const DATA_FIRST_END = new RegExp(`${WS},${WS}${SCHEMA}${WS}\\}${WS}$`, 'y');

/** The number of events in a tp2 body; throws checkTp2Envelope's 400 for a body that can never
 *  succeed. The plain shape nests 3 deep, within any depth limit. */
export function tp2EventCount(text: string, maxEvents: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): number {
  return countPlainEvents(text, maxEvents) ?? checkTp2Envelope(text, maxEvents, maxDepth).length;
}

/** The count when the body has the plain shape and is within the limit, else undefined. */
export function countPlainEvents(text: string, maxEvents: number): number | undefined {
  try {
    const afterSchema = endOfMatch(SCHEMA_FIRST, text, 0);
    const start = afterSchema ?? endOfMatch(DATA_FIRST, text, 0);
    if (start === undefined) return undefined;
    let at = start;
    let events = 0;
    for (;;) {
      const next = endOfMatch(COMPACT_EVENT, text, at) ?? endOfMatch(SPACED_EVENT, text, at);
      if (next === undefined) return undefined;
      events += 1;
      at = next;
      if (text.charCodeAt(at - 1) === 0x5d /* ] */) break;
      if (events >= maxEvents) return undefined;
    }
    return endOfMatch(afterSchema === undefined ? DATA_FIRST_END : SCHEMA_FIRST_END, text, at) === undefined ? undefined : events;
  } catch {
    // A body big enough to overflow the regex engine's backtrack stack: JSON.parse decides.
    return undefined;
  }
}

function endOfMatch(sticky: RegExp, text: string, at: number): number | undefined {
  sticky.lastIndex = at;
  return sticky.test(text) ? sticky.lastIndex : undefined;
}
