// Unpacks a tp2 POST body (payload_data, snowplow.md §1.1) into one flat parameter map per
// event, in two steps: the envelope check (on the request path, before the ack: a body that fails
// it throws a CollectorError and is never resent) and the per-item unpacking (after the spool,
// where an item that is not a map of strings becomes a bad row on its own so the rest is kept).
import { badRequest } from '../errors.ts';
import { makeBadRow, type BadRow } from './bad-row.ts';
import { DEFAULT_MAX_JSON_DEPTH, jsonTooDeep } from './json-depth.ts';

const PAYLOAD_DATA = /^iglu:com\.snowplowanalytics\.snowplow\/payload_data\/jsonschema\/1-0-\d+$/;
/** Enrich accepts only application/json (charset optional); lower-cased as the collector does. */
const JSON_TYPE = /^application\/json\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/;

export function isJsonContentType(contentType: string | undefined): boolean {
  return contentType !== undefined && JSON_TYPE.test(contentType.trim().toLowerCase());
}

export interface Tp2Events { readonly events: Record<string, string>[]; readonly bad: BadRow[] }

/** The body's `data` items once the envelope is valid JSON with the payload_data schema and within the
 *  limits. Depth is checked first: a body nesting past it is never a tracker's, and its items would
 *  overflow the stack wherever they are serialised later (issue #18). */
export function checkTp2Envelope(text: string, maxEvents: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): unknown[] {
  const tooDeep = jsonTooDeep(text, maxDepth, 'body');
  if (tooDeep) throw badRequest(tooDeep);
  let body: unknown;
  try { body = JSON.parse(text); } catch { throw badRequest('body is not valid JSON'); }
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw badRequest('body must be a payload_data object {schema, data}');
  const { schema, data } = body as { schema?: unknown; data?: unknown };
  if (typeof schema !== 'string' || !PAYLOAD_DATA.test(schema)) {
    throw badRequest('schema must be iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-x');
  }
  if (!Array.isArray(data) || data.length === 0) throw badRequest('data must be a non-empty array of events');
  if (data.length > maxEvents) throw badRequest(`too many events in one request: ${data.length}, the limit is ${maxEvents}`);
  return data;
}

/** Items of a checked envelope → parameter maps (query-string parameters merged in) and bad rows. */
export function unpackTp2Items(data: readonly unknown[], query: URLSearchParams | undefined, now: number, source = 'tp2'): Tp2Events {
  const events: Record<string, string>[] = [];
  const bad: BadRow[] = [];
  for (let i = 0; i < data.length; i++) {
    const item = data[i];
    const reason = checkItem(item);
    if (reason) {
      bad.push(makeBadRow(itemText(item), `tracker_protocol_violation: event #${i} ${reason}`, now, source));
      continue;
    }
    const params = item as Record<string, string>;
    // Query-string parameters apply to every event and win (enrich Tp2Adapter: bodyMap ++ qsParams).
    if (query) for (const [k, v] of query) params[k] = v;
    events.push(params);
  }
  return { events, bad };
}

export function parseTp2Body(text: string, query: URLSearchParams | undefined, maxEvents: number, now: number, maxDepth = DEFAULT_MAX_JSON_DEPTH): Tp2Events {
  return unpackTp2Items(checkTp2Envelope(text, maxEvents, maxDepth), query, now);
}

/** A bad item as text for its bad row. Spooled before the envelope checked depth, an item may nest
 *  too deep to serialise: its row then says so instead of failing the whole record. */
function itemText(item: unknown): string {
  try {
    return JSON.stringify(item) ?? 'undefined';
  } catch (error) {
    return `[not serialisable: ${(error as Error).message}]`;
  }
}

function checkItem(item: unknown): string | undefined {
  if (item === null || typeof item !== 'object' || Array.isArray(item)) return 'must be an object of string parameters';
  // Object.values holds the own enumerable values, the ones the loop below checks; it runs only to name the culprit.
  const values = Object.values(item);
  let allStrings = true;
  for (let i = 0; i < values.length; i++) if (typeof values[i] !== 'string') allStrings = false;
  if (allStrings) return undefined;
  for (const k in item) {
    if (!Object.hasOwn(item, k)) continue;
    const v = (item as Record<string, unknown>)[k];
    if (typeof v !== 'string') return `parameter ${JSON.stringify(k.slice(0, 64))} must be a string, got ${v === null ? 'null' : typeof v}`;
  }
  return undefined;
}
