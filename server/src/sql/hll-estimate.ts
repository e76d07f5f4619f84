// The query side of the HyperLogLog sketches in rollups (preagg/hll.ts builds them): the
// precision both sides share, and the estimate over one answer row's merged registers.

/**
 * Precision p: 2^p registers. p = 12 gives a standard error of 1.04/√4096 ≈ 1.6 % (Snowflake's
 * HLL, better than Presto's approx_distinct default of 2.3 %) and caps the sketch at 4096 rows
 * per rollup row; p = 14 would halve the error (0.8 %) for 4× the rows on busy rollup rows.
 */
export const HLL_P = 12;
export const HLL_M = 2 ** HLL_P;
/** Relative standard error of one estimate. */
export const HLL_STANDARD_ERROR = 1.04 / Math.sqrt(HLL_M);

/**
 * The estimate over the merged registers of one answer row, as an aggregate over rows holding
 * one register's merged rank `rank` each (missing registers are zeros): E = α·m²/Σ2^(−rank),
 * or m·ln(m/V) when E ≤ 2.5·m and V registers are empty. Doubles throughout (e0 literals), as
 * MySQL would otherwise divide DECIMALs to 4 digits. Same SQL on DuckDB and MySQL.
 */
export function estimateSql(rank: string): string {
  const m = `${HLL_M}e0`;
  const alpha = 0.7213 / (1 + 1.079 / HLL_M);
  const filled = `count(${rank})`;
  const raw = `(${alpha * HLL_M * HLL_M}e0 / (COALESCE(sum(power(2e0, -${rank})), 0e0) + ${m} - ${filled}))`;
  return `ROUND(CASE WHEN ${raw} <= ${2.5 * HLL_M}e0 AND ${filled} < ${HLL_M} THEN ${m} * ln(${m} / (${m} - ${filled})) ELSE ${raw} END)`;
}
