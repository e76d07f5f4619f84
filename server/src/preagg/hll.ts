// HyperLogLog in plain SQL, so count_distinct_approx re-aggregates from rollups (issue #4):
// neither store (DuckDB file, MySQL) has a mergeable sketch type, but both take max() and
// arithmetic. A build emits, per rollup row, one row per non-empty register with its max rank;
// a query merges them with max(rank) per (answer row, register) and estimates per answer row.
// Flajolet et al. 2007 (HyperLogLog), with the small-range (linear counting) correction; a
// 64-bit hash needs no large-range correction.
// The query side (precision, estimate) is sql/hll-estimate.ts, which renders rollup answers.
// Where estimates differ by engine: PrestoDB and Trino hash alike (xxhash64), so their sketches
// and estimates are identical, on either store (tests/engine-preaggs.test.ts); DuckDB's hash()
// is another function, so a rollup built from DuckDB estimates differently (each within the
// tolerance of the exact count). A query no rollup serves gets the engine's own approx_distinct,
// another HyperLogLog (Presto/Trino: 2.3 % standard error), equal to neither but as close.
import type { SqlPart, SqlTemplate } from '../model/types.ts';
import { HLL_M, HLL_P } from '../sql/hll-estimate.ts';

/** Rank of an all-zero remainder: 64 - p bits of zeros, then the implicit 1. */
const MAX_RANK = 64 - HLL_P + 1;

/**
 * Per source dialect: the value's 64-bit hash, and the same hash with the low p bits (the
 * register) cleared, for the rank. Functions of the engine that BUILDS the rollup.
 */
interface HashSpelling {
  /** Hash of `v` as a 64-bit integer (signed or unsigned). */
  hash(v: string): string;
  /** `h` with its low p bits cleared. */
  clearLow(h: string): string;
  and(a: string, b: string): string;
  /** Number of 1-bits of (x XOR (x - 1)) = trailing zeros of x + 1, for x ≠ 0. */
  lowBitsThroughFirstOne(x: string): string;
  /** x is 64-bit signed: x - 1 overflows at the minimum, whose trailing zeros are 63. */
  readonly signed: boolean;
  readonly intType: string;
}

const presto: HashSpelling = {
  hash: (v) => `from_big_endian_64(xxhash64(to_utf8(CAST(${v} AS VARCHAR))))`,
  clearLow: (h) => `bitwise_and(${h}, ${-HLL_M})`,
  and: (a, b) => `bitwise_and(${a}, ${b})`,
  lowBitsThroughFirstOne: (x) => `bit_count(bitwise_xor(${x}, ${x} - 1), 64)`,
  signed: true,
  intType: 'INTEGER',
};

export const HASH_SPELLINGS: Readonly<Record<string, HashSpelling>> = {
  duckdb: {
    hash: (v) => `hash(${v})`,
    clearLow: (h) => `(${h} & ~CAST(${HLL_M - 1} AS UBIGINT))`,
    and: (a, b) => `(${a} & ${b})`,
    lowBitsThroughFirstOne: (x) => `bit_count(xor(${x}, ${x} - 1))`,
    signed: false,
    intType: 'INTEGER',
  },
  presto,
  trino: presto,
  athena: presto,
  mysql: {
    hash: (v) => `CAST(CONV(SUBSTR(MD5(${v}), 1, 16), 16, 10) AS UNSIGNED)`,
    clearLow: (h) => `(${h} & ~${HLL_M - 1})`,
    and: (a, b) => `(${a} & ${b})`,
    lowBitsThroughFirstOne: (x) => `BIT_COUNT(${x} ^ (${x} - 1))`,
    signed: false,
    intType: 'SIGNED',
  },
};

function spelling(dialect: string): HashSpelling {
  const s = HASH_SPELLINGS[dialect];
  if (!s) throw new Error(`count_distinct_approx sketches: no 64-bit hash known for the ${dialect} dialect`);
  return s;
}

/**
 * A template computing `f(value)`, the value's SQL spliced in wherever `f` uses it; NULL stays
 * NULL (count distinct ignores NULLs).
 */
function wrap(value: SqlTemplate, f: (v: string) => string): SqlTemplate {
  const V = '\u0002';
  const out: SqlPart[] = [];
  `CASE WHEN (${V}) IS NULL THEN NULL ELSE ${f(`(${V})`)} END`.split(V).forEach((piece, i) => {
    if (i) out.push(...value);
    out.push(piece);
  });
  return out;
}

/** Register of a value: the low p bits of its hash, 0 … 2^p - 1. */
export function registerTemplate(dialect: string, value: SqlTemplate): SqlTemplate {
  const s = spelling(dialect);
  return wrap(value, (v) => `CAST(${s.and(s.hash(v), String(HLL_M - 1))} AS ${s.intType})`);
}

/** Rank of a value: position of the first 1-bit above the register bits, 1 … 64 - p + 1. */
export function rankTemplate(dialect: string, value: SqlTemplate): SqlTemplate {
  const s = spelling(dialect);
  return wrap(value, (v) => {
    const x = s.clearLow(s.hash(v));
    const min = s.signed ? ` WHEN ${x} = -9223372036854775807 - 1 THEN ${63 - HLL_P + 1}` : '';
    return `CASE WHEN ${x} = 0 THEN ${MAX_RANK}${min} ELSE ${s.lowBitsThroughFirstOne(x)} - ${HLL_P} END`;
  });
}
