// Hostile values for the fuzz tests, drawn from a seeded random source so a failing run can be
// replayed: the seed is printed, and FUZZ_SEED=<seed> reproduces it. Values are made as JSON
// *text*, so they can nest deeper than JSON.stringify goes, hold invalid escapes or be cut short;
// `mutate` puts one into a valid request at a random place, the way a fuzzer mutates a corpus.
import { createRandom, type Random } from '../collector/src/demo/prng.ts';

export type { Random } from '../collector/src/demo/prng.ts';

/** The run's seed (FUZZ_SEED, or a fresh one), printed once, and a source per boundary. */
export function fuzzRandom(boundary: string): Random {
  return createRandom(`${fuzzSeed()}/${boundary}`);
}

let seed: string | undefined;
export function fuzzSeed(): string {
  if (seed === undefined) {
    seed = process.env.FUZZ_SEED || String(Math.floor(Math.random() * 2 ** 32));
    process.stdout.write(`# fuzz seed ${seed} (reproduce with FUZZ_SEED=${seed})\n`);
  }
  return seed;
}

/** JSON text spliced into a value by `toJsonText`, as is. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** JSON.stringify for shallow values, with RawJson inlined (keys may be any string, `__proto__` too). */
export function toJsonText(value: unknown): string {
  if (value instanceof RawJson) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJsonText(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Property names that mean something to JS objects. */
export const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__', 'then'];

/** Sizes skewed small with a long tail: most values are cheap, a few are huge. */
function size(r: Random, max: number): number {
  const roll = r.next();
  if (roll < 0.6) return r.int(0, 16);
  if (roll < 0.9) return r.int(16, 4096);
  return r.int(4096, max);
}

const ODD_STRINGS = [
  '', ' ', '\u0000', 'a\u0000b', '\ud800', '\udfff', 'x\ud83d', '\ud83d\ude00', '\u202e\u0627\u0644', 'e\u0301\u0301\u0301',
  '\r\n\t\b\f\v', '%', '%zz', '%c0%af', '%ed%a0%80', '+', '\\', '"', "'); DROP TABLE events; --", '<script>alert(1)</script>',
  '${{7*7}}', '{{7*7}}', 'null', 'undefined', 'NaN', 'Infinity', '-0', '1e309', '9'.repeat(400), '0x10', '1_000',
  '9999-12-31', '0000-00-00', '2024-02-30', '+275760-09-13', '2024-01-01T25:61:61', '1970-01-01T00:00:00Z', 'now',
  'last 9999999999 days', '99999999999 years ago to now', 'from 1 day ago to 300000 years from now',
  'iglu:', 'iglu:a/b/jsonschema/1-0-0', 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
  ...PROTOTYPE_NAMES,
];

/** A string no sane client sends. */
export function hostileString(r: Random, maxLength = 300_000): string {
  const roll = r.next();
  if (roll < 0.45) return r.pick(ODD_STRINGS);
  if (roll < 0.6) return r.pick(ODD_STRINGS).repeat(size(r, 2000)).slice(0, maxLength);
  if (roll < 0.75) return 'x'.repeat(size(r, maxLength));
  if (roll < 0.9) {
    // Random code units, lone surrogates and controls included.
    let s = '';
    for (let i = 0, n = Math.min(size(r, 2000), maxLength); i < n; i++) s += String.fromCharCode(r.int(0, 0xffff));
    return s;
  }
  return `${r.pick(ODD_STRINGS)}${'😀'.repeat(r.int(1, 50))}${r.pick(ODD_STRINGS)}`.slice(0, maxLength);
}

const ODD_NUMBERS = ['1e400', '-1e400', '1e-400', '-0', '0.0', '9007199254740993', '-9007199254740993', '1e308', '123456789012345678901234567890',
  '2147483648', '-2147483649', '4294967296', '0.1e1', '1E+2', '3.14159265358979323846264338327950288'];

/** A deep value as text: arrays, objects or both, up to `maxDepth` levels. */
export function deepJson(r: Random, maxDepth = 100_000): string {
  const depth = r.chance(0.5) ? r.int(30, 2000) : r.int(2000, maxDepth);
  const kind = r.int(0, 2);
  if (kind === 0) return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (kind === 1) return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `${'[{"__proto__":'.repeat(depth)}null${'}]'.repeat(depth)}`;
}

/** Text that JSON.parse refuses (or parses into something surprising). */
const BROKEN_JSON = ['', '{', '[', '{"a":}', '[1,]', '{"a" 1}', 'NaN', 'Infinity', "{'a':1}", '{"a":1}}', '"\\ud800"', '"\\x41"', '"\\u12"',
  '\ufeff{}', '{"a":1,"a":2}', '/* */{}', '{"a":"\u0000"}', '{"a":"line\nbreak"}', '[' + '1,'.repeat(1000) + ']'];

/** A hostile JSON value as text: wrong types, deep nesting, huge strings and numbers, prototype keys. */
export function hostileJson(r: Random, opts: { maxDepth?: number; maxLength?: number } = {}): string {
  const roll = r.int(0, 9);
  switch (roll) {
    case 0: return deepJson(r, opts.maxDepth);
    case 1: return JSON.stringify(hostileString(r, opts.maxLength));
    case 2: return r.pick(ODD_NUMBERS);
    case 3: return r.pick(['null', 'true', 'false', '[]', '{}', '[[]]', '[{}]', '""', '0']);
    case 4: return `{"${r.pick(PROTOTYPE_NAMES)}":${hostileJson(r, { maxDepth: 40, maxLength: 1000 })}}`;
    case 5: return `[${Array.from({ length: size(r, 20_000) }, () => r.pick(['0', '""', 'null', '{}'])).join(',')}]`;
    case 6: return `{${Array.from({ length: size(r, 5000) }, (_, i) => `"k${i}":${r.pick(['1', '"v"', 'null'])}`).join(',')}}`;
    case 7: return JSON.stringify(r.pick(ODD_STRINGS));
    case 8: return `{"schema":${JSON.stringify(r.pick(ODD_STRINGS))},"data":${r.chance(0.5) ? deepJson(r, opts.maxDepth) : '{}'}}`;
    default: return r.pick(['{"toString":1}', '{"valueOf":{}}', '{"__proto__":{"polluted":1}}', '{"constructor":{"prototype":{"x":1}}}', '[1,"a",null,{}]']);
  }
}

/** JSON text for `value` with one node (or a new key) made hostile. */
export function mutate(r: Random, value: unknown, opts: { maxDepth?: number; maxLength?: number } = {}): string {
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) v.forEach((x, i) => { slots.push({ parent: v, key: i }); walk(x); });
    else if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) { slots.push({ parent: v as Record<string, unknown>, key: k }); walk((v as Record<string, unknown>)[k]); }
  };
  const copy = structuredClone(value);
  walk(copy);
  const hostile = new RawJson(hostileJson(r, opts));
  const roll = r.next();
  if (slots.length === 0 || roll < 0.1) return hostile.text;
  const slot = r.pick(slots);
  if (roll < 0.75) (slot.parent as Record<string | number, unknown>)[slot.key] = hostile;
  else if (roll < 0.85 && !Array.isArray(slot.parent)) delete slot.parent[slot.key as string];
  else if (!Array.isArray(slot.parent)) {
    // A new key: a prototype name, or a long or odd one. Defined, so `__proto__` is an own key.
    const key = r.chance(0.6) ? r.pick(PROTOTYPE_NAMES) : hostileString(r, 1000);
    Object.defineProperty(slot.parent, key, { value: hostile, enumerable: true, configurable: true, writable: true });
  } else slot.parent.push(hostile);
  return toJsonText(copy);
}

/** Bytes for a body: the text cut short, with invalid UTF-8 or NULs spliced in, or random bytes. */
export function hostileBytes(r: Random, text: string): Buffer {
  const bytes = Buffer.from(text, 'utf8');
  const at = r.int(0, bytes.length);
  switch (r.int(0, 5)) {
    case 0: return bytes.subarray(0, at);
    case 1: return Buffer.concat([bytes.subarray(0, at), Buffer.from(r.pick([[0xff], [0xfe, 0xff], [0xc0, 0xaf], [0x80], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82]])), bytes.subarray(at)]);
    case 2: return Buffer.concat([bytes.subarray(0, at), Buffer.alloc(r.int(1, 64)), bytes.subarray(at)]);
    case 3: return Buffer.from(Array.from({ length: size(r, 100_000) }, () => r.int(0, 255)));
    case 4: return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]);
    default: return Buffer.concat([Buffer.from(' \n\t'.repeat(size(r, 50_000))), bytes]);
  }
}

/** Percent-encodes the UTF-8 bytes of `s` (encodeURIComponent throws on a lone surrogate). */
export function pct(s: string): string {
  return [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');
}

/** Runs `count` jobs, `concurrency` at a time, in order of index. */
export async function runPool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < count) await job(next++);
  }));
}

/** A stack trace or source location in an answer: what a client must never see. */
export const STACK_TRACE = /\n\s+at .+[:(]\d+|\.(?:ts|js|mjs):\d+:\d+|node:internal/;

/** A JS engine's own words in an answer: a fault passed off as the client's error. */
export const INTERNAL_MESSAGE = /Maximum call stack|RangeError|TypeError|ReferenceError|SyntaxError: Unexpected token|Cannot read propert|is not a function|is not iterable|Invalid time value|Invalid local time/;
