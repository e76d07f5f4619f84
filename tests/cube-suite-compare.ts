// How a webcube answer is held against Cube's: representation is normalised, nothing else.
// Numbers compare by value ("6", 6 and "6.00000" are one number), a time string with or without
// the trailing `Z` is one time, and row order counts only when the query has an `order`.
import assert from 'node:assert/strict';

const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z?$/;
const NUMBER = /^-?\d+(\.\d+)?(e[-+]?\d+)?$/i;

function normValue(v: unknown): unknown {
  if (typeof v === 'number') return roundNumber(v);
  if (typeof v === 'string') {
    if (NUMBER.test(v)) return roundNumber(Number(v));
    if (TIME.test(v)) return v.replace(/Z$/, '');
  }
  return v;
}

// Sums of decimals may differ in the last binary digit between engines; 12 significant digits
// is far more than any fixture value carries.
const roundNumber = (n: number) => Number(n.toPrecision(12));

/** One row with normalised values; jest's `{"$undefined": true}` (a key set to undefined) is an absent key. */
export function normRow(row: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(row).sort()) {
    const v = row[key];
    if (v && typeof v === 'object' && (v as { $undefined?: boolean }).$undefined) continue;
    out[key] = normValue(v);
  }
  return out;
}

export function normRows(rows: readonly Record<string, unknown>[], ordered: boolean): Record<string, unknown>[] {
  const out = rows.map(normRow);
  if (!ordered) out.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return out;
}

export function assertSameRows(actual: readonly Record<string, unknown>[], expected: readonly Record<string, unknown>[], ordered: boolean): void {
  assert.deepStrictEqual(normRows(actual, ordered), normRows(expected, ordered));
}

/**
 * Rows equal except `measure`, an estimate: null exactly where the truth is null, elsewhere within
 * 3 standard errors (`relativeError` × truth) of it, and never off by more than that rounds up to.
 */
export function assertWithinEstimate(actual: readonly Record<string, unknown>[], truth: readonly Record<string, unknown>[],
  measure: string, relativeError: number, ordered: boolean): void {
  const without = (rows: readonly Record<string, unknown>[]) => normRows(rows.map((r) => ({ ...r, [measure]: r[measure] === null ? null : 0 })), ordered);
  assert.deepStrictEqual(without(actual), without(truth));
  const key = (r: Record<string, unknown>) => JSON.stringify(normRow({ ...r, [measure]: undefined }));
  const exact = new Map(truth.map((r) => [key(r), r[measure] as number | null]));
  for (const r of actual) {
    const want = exact.get(key(r))!;
    if (want === null) continue;
    const got = Number(r[measure]);
    assert.ok(Math.abs(got - want) <= Math.ceil(3 * relativeError * want), `${measure} ${got} is not within 3 standard errors of the exact ${want} (${key(r)})`);
  }
}

/** True when a query fixes row order (Cube's `order` as an object or as pairs, not empty). */
export const hasOrder = (query: Record<string, unknown>): boolean => {
  const o = query.order;
  return Array.isArray(o) ? o.length > 0 : !!o && Object.keys(o).length > 0;
};
