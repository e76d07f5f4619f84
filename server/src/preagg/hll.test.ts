// HyperLogLog in SQL: the source-dialect hash spellings (pinned), register and rank computed on
// a real DuckDB match the bit arithmetic done in JS on the same 64-bit hash, and the estimate
// SQL matches the formula evaluated in JS, in linear counting and in the HyperLogLog regime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DuckDBInstance } from '@duckdb/node-api';
import { HLL_M, HLL_P, HLL_STANDARD_ERROR, estimateSql } from '../sql/hll-estimate.ts';
import { rankTemplate, registerTemplate } from './hll.ts';
import type { SqlTemplate } from '../model/types.ts';

const flat = (t: SqlTemplate) => t.map((p) => (typeof p === 'string' ? p : '{v}')).join('');

test('precision and error: p = 12, 4096 registers, 1.6 % standard error', () => {
  assert.equal(HLL_P, 12);
  assert.equal(HLL_M, 4096);
  assert.ok(Math.abs(HLL_STANDARD_ERROR - 0.01625) < 1e-5);
});

test('hash spellings per source dialect are pinned', () => {
  const v: SqlTemplate = [{ type: 'member', cube: 'c', member: 'u' }];
  assert.equal(flat(registerTemplate('duckdb', v)), 'CASE WHEN ({v}) IS NULL THEN NULL ELSE CAST((hash(({v})) & 4095) AS INTEGER) END');
  assert.equal(flat(registerTemplate('trino', v)),
    'CASE WHEN ({v}) IS NULL THEN NULL ELSE CAST(bitwise_and(from_big_endian_64(xxhash64(to_utf8(CAST(({v}) AS VARCHAR)))), 4095) AS INTEGER) END');
  assert.equal(flat(registerTemplate('athena', v)), flat(registerTemplate('presto', v)));
  assert.equal(flat(registerTemplate('mysql', v)),
    'CASE WHEN ({v}) IS NULL THEN NULL ELSE CAST((CAST(CONV(SUBSTR(MD5(({v})), 1, 16), 16, 10) AS UNSIGNED) & 4095) AS SIGNED) END');
  assert.match(flat(rankTemplate('presto', v)), /WHEN bitwise_and\(.*, -4096\) = -9223372036854775807 - 1 THEN 52 ELSE bit_count\(bitwise_xor\(/);
  assert.throws(() => registerTemplate('bigquery', v), /no 64-bit hash known for the bigquery dialect/);
});

async function duck() {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  return { conn, close: () => { conn.closeSync(); inst.closeSync(); } };
}

test('register = low p bits of the hash, rank = first 1-bit above them (DuckDB, checked in JS)', async (t) => {
  const { conn, close } = await duck();
  t.after(close);
  const v: SqlTemplate = ['v'];
  const r = await conn.runAndReadAll(`SELECT hash(v) AS h, ${flat(registerTemplate('duckdb', v))} AS reg, ${flat(rankTemplate('duckdb', v))} AS rnk
    FROM (SELECT 'user-' || i AS v FROM range(2000) t(i) UNION ALL SELECT NULL)`);
  let seen = 0;
  for (const row of r.getRowObjectsJS()) {
    if (row.reg === null) { assert.equal(row.rnk, null, 'NULL has no rank'); continue; }
    const h = row.h as bigint;
    const w = h >> BigInt(HLL_P);
    let rank = 1;
    while (rank <= 64 - HLL_P && ((w >> BigInt(rank - 1)) & 1n) === 0n) rank++;
    assert.equal(row.reg, Number(h & BigInt(HLL_M - 1)));
    assert.equal(row.rnk, rank);
    seen++;
  }
  assert.equal(seen, 2000);
});

function jsEstimate(ranks: readonly number[]): number {
  const alpha = 0.7213 / (1 + 1.079 / HLL_M);
  const z = ranks.reduce((s, k) => s + 2 ** -k, 0) + (HLL_M - ranks.length);
  const e = (alpha * HLL_M * HLL_M) / z;
  return Math.round(e <= 2.5 * HLL_M && ranks.length < HLL_M ? HLL_M * Math.log(HLL_M / (HLL_M - ranks.length)) : e);
}

test('the estimate SQL equals the HyperLogLog formula (linear counting and raw regime, empty)', async (t) => {
  const { conn, close } = await duck();
  t.after(close);
  const cases: number[][] = [[], [1], Array.from({ length: 300 }, (_, i) => 1 + (i % 3)), Array.from({ length: HLL_M }, (_, i) => 3 + (i % 5))];
  for (const ranks of cases) {
    const values = ranks.length ? `SELECT unnest([${ranks.join(',')}]) AS k` : 'SELECT CAST(NULL AS INTEGER) AS k WHERE false';
    const r = await conn.runAndReadAll(`SELECT ${estimateSql('k')} AS e FROM (${values})`);
    assert.equal(Number(r.getRowObjectsJS()[0]!.e), jsEstimate(ranks), `${ranks.length} registers`);
  }
  assert.equal(jsEstimate([]), 0);
});
