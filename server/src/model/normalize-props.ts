// Brings YAML and JS definitions to one shape: camelCase keys (meta untouched, as Cube's
// camelizeCube) and named collections as arrays of { name, ... } (YAML's form).

const COLLECTIONS = new Set([
  'measures', 'dimensions', 'segments', 'preAggregations', 'hierarchies', 'joins',
  'granularities', 'indexes', 'folders',
]);
const OPAQUE_KEYS = new Set(['meta']);

export const camelize = (key: string): string => key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());

export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * isOpaque marks values that must pass through untouched (JS reference proxies, functions).
 */
export function normalizeProps(value: unknown, isOpaque: (v: unknown) => boolean): unknown {
  if (isOpaque(value) || typeof value === 'function') return value;
  if (Array.isArray(value)) return value.map((v) => normalizeProps(v, isOpaque));
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [rawKey, v] of Object.entries(value)) {
    const key = camelize(rawKey);
    if (OPAQUE_KEYS.has(key)) { out[key] = v; continue; }
    if (COLLECTIONS.has(key) && isRecord(v) && !isOpaque(v)) {
      // JS form: { count: {...} } → [{ name: 'count', ... }]
      out[key] = Object.entries(v).map(([name, item]) => {
        const n = normalizeProps(item, isOpaque);
        return isRecord(n) ? { name, ...n } : { name, value: n };
      });
      continue;
    }
    out[key] = normalizeProps(v, isOpaque);
  }
  return out;
}
