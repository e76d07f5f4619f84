// event_fingerprint as enrich's event_fingerprint_enrichment: MD5 over the raw parameters sorted
// by key, excluding the ones a retry or the collector changes (eid, nuid, stm, cv), so the same
// event sent twice hashes the same.
import { createHash, hash } from 'node:crypto';
import { readParams, type ParamShape, type Params } from '../validate/param-shape.ts';

const EXCLUDED = new Set(['eid', 'nuid', 'stm', 'cv']);
const SEP = '\x1f';

/** Per shape of parameter names: the positions of the hashed ones in sorted order, and the text
 *  before each value (`key\x1f`, after the first with the previous value's `\x1f` in front). */
interface Order { readonly positions: readonly number[]; readonly before: readonly string[] }
const orders = new WeakMap<ParamShape, Order>();

function orderOf(shape: ParamShape): Order {
  let order = orders.get(shape);
  if (order === undefined) {
    const { keys } = shape;
    const sorted = [...keys].sort().filter((k) => !EXCLUDED.has(k));
    order = { positions: sorted.map((k) => keys.indexOf(k)), before: sorted.map((k, i) => (i === 0 ? '' : SEP) + k + SEP) };
    orders.set(shape, order);
  }
  return order;
}

/** `read` is `params` read by readParams. */
export function eventFingerprint(params: Readonly<Record<string, string>>, read: Params = readParams(params)): string {
  const { positions, before } = orderOf(read.shape);
  const { values } = read;
  let text = '';
  for (let i = 0; i < positions.length; i++) text += before[i] + String(values[positions[i]]);
  return hash('md5', positions.length === 0 ? text : text + SEP, 'hex');
}

/** A deterministic name-based UUID (version 5 layout, SHA-1) from any text, for events that come without an id. */
export function uuidFromText(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
