// A small seeded random source (mulberry32) so demo traffic and test fixtures are reproducible:
// the same seed always yields the same users, sessions and events.

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [min, max]. */
  int(min: number, max: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** Picks by weight; weights need not sum to 1. */
  weighted<T>(items: readonly (readonly [T, number])[]): T;
  /** Zipf-distributed index in [0, n) with exponent s (rank 0 is the most popular). */
  zipf(n: number, s?: number): number;
  /** Log-normal with the given median and spread (sigma of the underlying normal). */
  logNormal(median: number, sigma: number): number;
  /** A random version-4 UUID drawn from this source. */
  uuid(): string;
  /** An independent source derived from this one and a label. */
  fork(label: string): Random;
}

function hashString(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

const zipfTables = new Map<string, Float64Array>();

function zipfTable(n: number, s: number): Float64Array {
  const key = `${n}/${s}`;
  let table = zipfTables.get(key);
  if (!table) {
    table = new Float64Array(n);
    let sum = 0;
    for (let i = 0; i < n; i++) { sum += 1 / Math.pow(i + 1, s); table[i] = sum; }
    for (let i = 0; i < n; i++) table[i] /= sum;
    zipfTables.set(key, table);
  }
  return table;
}

export function createRandom(seed: number | string): Random {
  let state = (typeof seed === 'string' ? hashString(seed) : seed >>> 0) || 0x9e3779b9;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const hex = (n: number) => Math.floor(next() * 16 ** n).toString(16).padStart(n, '0');
  const random: Random = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)],
    weighted(items) {
      let total = 0;
      for (const [, w] of items) total += w;
      let r = next() * total;
      for (const [item, w] of items) { r -= w; if (r < 0) return item; }
      return items[items.length - 1][0];
    },
    zipf(n, s = 1.1) {
      const table = zipfTable(n, s);
      const r = next();
      let lo = 0, hi = n - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (table[mid] < r) lo = mid + 1; else hi = mid; }
      return lo;
    },
    logNormal(median, sigma) {
      // Box–Muller; 1 - next() keeps the log argument away from 0.
      const z = Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next());
      return median * Math.exp(sigma * z);
    },
    uuid: () => `${hex(8)}-${hex(4)}-4${hex(3)}-${(8 + Math.floor(next() * 4)).toString(16)}${hex(3)}-${hex(6)}${hex(6)}`,
    fork: (label) => createRandom((hashString(label) ^ Math.floor(next() * 4294967296)) >>> 0),
  };
  return random;
}
