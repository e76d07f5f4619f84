// Whether a raw record (a spool line or a bad row) carries one person's identifier. Raw records
// are tracker payloads: JSON bodies, querystrings, JSON text inside JSON, so the walk descends
// into strings that parse as either, and compares the fields that carry the identifier in the
// Snowplow tracker protocol (uid, duid, nuid/tnuid, the collector's `sp` cookie) or as atomic columns.
export type IdentityColumn = 'user_id' | 'domain_userid' | 'network_userid';

export interface ForgetTarget {
  readonly column: IdentityColumn;
  readonly value: string;
}

const KEYS: Record<IdentityColumn, readonly string[]> = {
  user_id: ['uid', 'user_id', 'userId'],
  domain_userid: ['duid', 'domain_userid', 'domainUserId'],
  network_userid: ['nuid', 'tnuid', 'network_userid', 'networkUserId', 'sp'],
};

function matchesText(text: string, t: ForgetTarget, keys: ReadonlySet<string>, depth: number): boolean {
  if (!text.includes(t.value) && !text.includes(encodeURIComponent(t.value))) return false;
  const s = text.trim();
  if (s.startsWith('{') || s.startsWith('[')) {
    try { return matchesValue(JSON.parse(s), t, keys, depth + 1); } catch { /* not JSON after all */ }
  }
  if (s.includes('=')) {
    const query = s.includes('?') ? s.slice(s.indexOf('?') + 1) : s;
    for (const part of query.split(/[&;]\s*/)) {
      const eq = part.indexOf('=');
      if (eq <= 0) continue;
      let k: string; let v: string;
      try { k = decodeURIComponent(part.slice(0, eq).trim()); v = decodeURIComponent(part.slice(eq + 1).replace(/\+/g, ' ')); } catch { continue; }
      k = k.split(/[\s:]+/).pop() ?? k;
      if (keys.has(k) && v === t.value) return true;
      if (depth < 6 && matchesText(v, t, keys, depth + 1)) return true;
    }
  }
  return false;
}

function matchesValue(v: unknown, t: ForgetTarget, keys: ReadonlySet<string>, depth: number): boolean {
  if (depth > 8) return false;
  if (typeof v === 'string') return matchesText(v, t, keys, depth + 1);
  if (Array.isArray(v)) return v.some((x) => matchesValue(x, t, keys, depth + 1));
  if (v && typeof v === 'object') {
    for (const [k, x] of Object.entries(v)) {
      if (keys.has(k) && x === t.value) return true;
      if (matchesValue(x, t, keys, depth + 1)) return true;
    }
  }
  return false;
}

/** True when the line (JSON or text) names the target's identifier in one of its fields. */
export function lineNamesTarget(line: string, t: ForgetTarget): boolean {
  return matchesText(line, t, new Set(KEYS[t.column]), 0);
}
