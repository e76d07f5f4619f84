// event_fingerprint as enrich's event_fingerprint_enrichment: MD5 over the raw parameters sorted
// by key, excluding the ones a retry or the collector changes (eid, nuid, stm, cv), so the same
// event sent twice hashes the same.
import { createHash, hash } from 'node:crypto';

const EXCLUDED = new Set(['eid', 'nuid', 'stm', 'cv']);
const SEP = '\x1f';

/** Trackers send their parameters in one fixed order, so the last sort is nearly always reusable. */
let lastKeys: string[] = [];
let lastSorted: string[] = [];

function sortedKeys(params: object): string[] {
  const keys = Object.keys(params);
  if (keys.length === lastKeys.length && keys.every((k, i) => k === lastKeys[i])) return lastSorted;
  lastKeys = keys;
  lastSorted = [...keys].sort();
  return lastSorted;
}

export function eventFingerprint(params: Readonly<Record<string, string>>): string {
  let text = '';
  for (const key of sortedKeys(params)) {
    if (EXCLUDED.has(key)) continue;
    text += key + SEP + String(params[key]) + SEP;
  }
  return hash('md5', text, 'hex');
}

/** A deterministic name-based UUID (version 5 layout, SHA-1) from any text, for events that come without an id. */
export function uuidFromText(text: string): string {
  const h = createHash('sha1').update(text).digest('hex');
  const variant = ((parseInt(h[16], 16) & 0x3) | 0x8).toString(16);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${variant}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}
