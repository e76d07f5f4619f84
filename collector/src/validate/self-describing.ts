// Checks the self-describing envelopes of ue_pr/ue_px and co/cx (snowplow.md §1.4) and returns
// them as JSON text (as sent, already validated) plus what enrichment needs (inner schema parts, web_page id).
import { decodeBase64Url } from '../protocol/base64url.ts';
import { DEFAULT_MAX_JSON_DEPTH, jsonTooDeep } from '../protocol/json-depth.ts';

const IGLU = /^iglu:([a-zA-Z0-9-_.]+)\/([a-zA-Z0-9-_]+)\/([a-zA-Z0-9-_]+)\/([0-9]+-[0-9]+-[0-9]+)$/;
const UNSTRUCT = /^iglu:com\.snowplowanalytics\.snowplow\/unstruct_event\/jsonschema\/1-0-[0-9]+$/;
const CONTEXTS = /^iglu:com\.snowplowanalytics\.snowplow\/contexts\/jsonschema\/1-0-[0-9]+$/;
const WEB_PAGE = /^iglu:com\.snowplowanalytics\.snowplow\/web_page\/jsonschema\/1-/;

export interface SchemaKey { readonly vendor: string; readonly name: string; readonly format: string; readonly version: string }
export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

export function parseSchemaKey(uri: unknown): SchemaKey | undefined {
  if (typeof uri !== 'string') return undefined;
  const m = IGLU.exec(uri);
  return m ? { vendor: m[1], name: m[2], format: m[3], version: m[4] } : undefined;
}

/** Size is bounded by the event's (COLLECTOR_MAX_EVENT_BYTES), depth by `maxDepth`, checked before parsing. */
function readJson(plain: string | undefined, encoded: string | undefined, names: string, maxDepth: number): Checked<{ text: string; value: unknown }> {
  let text = plain;
  if (encoded !== undefined) {
    text = decodeBase64Url(encoded);
    if (text === undefined) return { ok: false, reason: `${names.split('/')[1]} is not valid base64url` };
  }
  const tooDeep = jsonTooDeep(text!, maxDepth, names);
  if (tooDeep) return { ok: false, reason: tooDeep };
  let value: unknown;
  try { value = JSON.parse(text!); } catch { return { ok: false, reason: `${names} is not valid JSON` }; }
  return { ok: true, value: { text: text!, value } };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface UnstructEvent { readonly json: string; readonly key: SchemaKey }

export function checkUnstructEvent(plain: string | undefined, encoded: string | undefined, maxDepth = DEFAULT_MAX_JSON_DEPTH): Checked<UnstructEvent> {
  const read = readJson(plain, encoded, 'ue_pr/ue_px', maxDepth);
  if (!read.ok) return read;
  const env = read.value.value;
  if (!isObject(env) || typeof env.schema !== 'string' || !UNSTRUCT.test(env.schema)) {
    return { ok: false, reason: 'self-describing event must be {schema: "iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0", data}' };
  }
  const inner = env.data;
  if (!isObject(inner)) return { ok: false, reason: 'self-describing event data must be an object {schema, data}' };
  const key = parseSchemaKey(inner.schema);
  if (!key) return { ok: false, reason: `self-describing event has an invalid schema URI: ${String(inner.schema).slice(0, 200)}` };
  if (!('data' in inner)) return { ok: false, reason: 'self-describing event has no data' };
  return { ok: true, value: { json: read.value.text, key } };
}

export interface Contexts { readonly json: string; readonly webPageId?: string }

/** The last contexts checked: a page's events usually carry the same ones (its web_page entity). */
let lastContexts: { plain: string | undefined; encoded: string | undefined; maxDepth: number; checked: Checked<Contexts> } | undefined;

export function checkContexts(plain: string | undefined, encoded: string | undefined, maxDepth = DEFAULT_MAX_JSON_DEPTH): Checked<Contexts> {
  const last = lastContexts;
  if (last !== undefined && last.plain === plain && last.encoded === encoded && last.maxDepth === maxDepth) return last.checked;
  const checked = readContexts(plain, encoded, maxDepth);
  lastContexts = { plain, encoded, maxDepth, checked };
  return checked;
}

function readContexts(plain: string | undefined, encoded: string | undefined, maxDepth: number): Checked<Contexts> {
  const read = readJson(plain, encoded, 'co/cx', maxDepth);
  if (!read.ok) return read;
  const env = read.value.value;
  if (!isObject(env) || typeof env.schema !== 'string' || !CONTEXTS.test(env.schema) || !Array.isArray(env.data)) {
    return { ok: false, reason: 'contexts must be {schema: "iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-x", data: [...]}' };
  }
  let webPageId: string | undefined;
  const entities: unknown[] = env.data;
  for (let i = 0; i < entities.length; i++) {
    const entity = entities[i];
    if (!isObject(entity) || typeof entity.schema !== 'string' || !IGLU.test(entity.schema) || !('data' in entity)) {
      return { ok: false, reason: `context #${i} must be {schema: "iglu:vendor/name/format/M-R-A", data}` };
    }
    if (webPageId === undefined && WEB_PAGE.test(entity.schema) && isObject(entity.data) && typeof entity.data.id === 'string') {
      webPageId = entity.data.id;
    }
  }
  const json = read.value.text;
  return { ok: true, value: webPageId === undefined ? { json } : { json, webPageId } };
}
