// Shared SQL dialect: ANSI-ish defaults that each engine's subclass overrides only where it
// differs (Kysely/Cube style). Capability flags instead of `if (dialect === …)` in callers;
// function and type spellings are data in `spelling`.
import type { StandardGranularity } from '../query/types.ts';

/** Seconds per fixed-length unit; months, quarters and years are counted in months instead. */
export const UNIT_SECONDS: Partial<Record<StandardGranularity, number>> = { second: 1, minute: 60, hour: 3600, day: 86_400, week: 604_800 };
export const UNIT_MONTHS: Partial<Record<StandardGranularity, number>> = { month: 1, quarter: 3, year: 12 };

export interface Spelling {
  readonly timestampType: string;
  readonly numericType: string;
  readonly stringType: string;
  readonly approxDistinct: string;
}

export abstract class Dialect {
  abstract readonly name: string;
  abstract readonly spelling: Spelling;
  /** ILIKE exists; otherwise case-insensitive matching is LOWER(col) LIKE lower(pattern). */
  readonly supportsIlike: boolean = false;
  /** `a IS NOT DISTINCT FROM b` exists; otherwise `(a = b OR (a IS NULL AND b IS NULL))`. */
  readonly supportsIsNotDistinctFrom: boolean = true;
  /** LIKE needs an explicit ESCAPE clause for backslash. */
  readonly likeNeedsEscapeClause: boolean = true;
  /** FULL OUTER JOIN exists (MySQL has none). */
  readonly supportsFullJoin: boolean = true;

  quoteIdentifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  /** Placeholder for the n-th (1-based) bound value in textual order. */
  placeholder(_n: number): string {
    return '?';
  }

  /** A bound string holding `YYYY-MM-DDTHH:mm:ss.SSS` as a timestamp comparable with columns. */
  timestampParam(param: string): string {
    return `CAST(${param} AS ${this.spelling.timestampType})`;
  }

  /**
   * A `time` dimension's column as a timestamp: a string column (`2024-01-05 10:00:00`) is
   * parsed, a timestamp column is left as it is (the engines drop a cast to its own type).
   */
  timeColumn(expr: string): string {
    return `CAST(${expr} AS ${this.spelling.timestampType})`;
  }

  numberParam(param: string): string {
    return `CAST(${param} AS ${this.spelling.numericType})`;
  }

  /** UTC timestamp (no zone) → wall time in `tz` (no zone). `tz` is a validated IANA name. */
  abstract convertTz(expr: string, tz: string): string;

  /** Truncate a wall-time timestamp to the start of its bucket; weeks start on Monday. */
  abstract timeTrunc(granularity: StandardGranularity, expr: string): string;

  /**
   * Start of the `n unit` bucket holding `expr`, buckets aligned on `origin` (a timestamp SQL
   * expression): custom granularities such as `2 weeks` or `6 months`. Month-based units count
   * calendar months, the others fixed seconds.
   */
  abstract timeBucket(expr: string, n: number, unit: StandardGranularity, origin: string): string;

  /** `expr ± n unit` for a timestamp; n may be negative. */
  abstract addInterval(expr: string, n: number, unit: StandardGranularity): string;

  /** `expr + n unit` where n is an integer SQL expression (calendar units, as addInterval). */
  abstract addUnits(expr: string, n: string, unit: StandardGranularity): string;

  /** Seconds from timestamp `from` to timestamp `to` (whole seconds are enough: buckets are seconds wide at least). */
  abstract secondsBetween(from: string, to: string): string;

  /** `expr` as text: a dt partition column (DATE in DuckDB, a string in Hive) compared with 'YYYY-MM-DD'. */
  castToString(expr: string): string {
    return `CAST(${expr} AS ${this.spelling.stringType})`;
  }

  stringLiteral(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  /** Case-insensitive LIKE against a bound, already-escaped pattern. */
  likeInsensitive(expr: string, pattern: string, negate: boolean): string {
    const not = negate ? 'NOT ' : '';
    const escape = this.likeNeedsEscapeClause ? ` ESCAPE '\\'` : '';
    return this.supportsIlike
      ? `${expr} ${not}ILIKE ${pattern}${escape}`
      : `LOWER(${expr}) ${not}LIKE ${pattern}${escape}`;
  }

  nullSafeEquals(a: string, b: string): string {
    return this.supportsIsNotDistinctFrom ? `${a} IS NOT DISTINCT FROM ${b}` : `(${a} = ${b} OR (${a} IS NULL AND ${b} IS NULL))`;
  }

  countDistinctApprox(expr: string): string {
    return `${this.spelling.approxDistinct}(${expr})`;
  }

  /** One ORDER BY item by output position (as Cube): aliases inside expressions break MySQL. Nulls sort as the engine does. */
  orderItem(expr: string, desc: boolean): string {
    return `${expr} ${desc ? 'DESC' : 'ASC'}`;
  }

  limitOffset(limit: number | undefined, offset: number | undefined): string {
    const parts: string[] = [];
    if (limit !== undefined) parts.push(`LIMIT ${limit}`);
    if (offset) parts.push(`OFFSET ${offset}`);
    return parts.join(' ');
  }

  /** Expression for a `geo` dimension's value. */
  geo(lat: string, lng: string): string {
    return `CONCAT(${lat}, ',', ${lng})`;
  }
}
