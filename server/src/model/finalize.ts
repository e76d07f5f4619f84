// Makes compiled values safe to share between concurrent queries: undefined-valued keys are
// dropped (so YAML and JS models compare equal) and every object, array and Map is frozen.

const frozenMaps = new WeakSet<Map<unknown, unknown>>();

function readonlyMap<K, V>(map: Map<K, V>): Map<K, V> {
  const reject = (): never => { throw new TypeError('Compiled model maps are read-only'); };
  frozenMaps.add(map);
  Object.defineProperties(map, { set: { value: reject }, delete: { value: reject }, clear: { value: reject } });
  return Object.freeze(map);
}

export function finalize<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (value instanceof Map) {
    if (frozenMaps.has(value)) return value;
    const out = new Map();
    seen.set(value, out);
    for (const [k, v] of value) out.set(k, finalize(v, seen));
    return readonlyMap(out) as T;
  }
  if (Array.isArray(value)) {
    const out: unknown[] = [];
    seen.set(value, out);
    for (const v of value) out.push(finalize(v, seen));
    return Object.freeze(out) as T;
  }
  const out: Record<string, unknown> = {};
  seen.set(value, out);
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = finalize(v, seen);
  return Object.freeze(out) as T;
}
