// PrestoDB: zone changes and timestamp parameters that no session time zone can shift (the
// server's JVM zone is the session's unless the client sends one), date_add intervals, OFFSET
// before LIMIT, approx_distinct. Assumes the session properties the driver sends
// (drivers/cubejs-driver-adapter.ts): offset_clause_enabled on, legacy_timestamp off.
import { Dialect, UNIT_MONTHS, UNIT_SECONDS, type Spelling } from '../dialect.ts';
import type { StandardGranularity } from '../../query/types.ts';

export class PrestoDialect extends Dialect {
  readonly name: string = 'presto';
  readonly spelling: Spelling = { timestampType: 'TIMESTAMP', numericType: 'DOUBLE', stringType: 'VARCHAR', approxDistinct: 'approx_distinct' };

  /**
   * The bound wall time is read as a UTC instant and cast back to its (unchanged) wall time: a
   * zone-less ISO string would be read in the session's zone, and fail on a time that zone skips
   * (a DST gap, such as midnight of 2018-11-04 in São Paulo).
   */
  override timestampParam(param: string): string {
    return `CAST(from_iso8601_timestamp(concat(${param}, 'Z')) AS TIMESTAMP)`;
  }

  /**
   * `ts AT TIME ZONE` reads a zone-less timestamp in the session's zone, so the UTC value goes
   * through epoch seconds instead (to_unixtime reads a TIMESTAMP as UTC on PrestoDB).
   */
  convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CAST(from_unixtime(to_unixtime(${expr}), ${this.stringLiteral(tz)}) AS TIMESTAMP)`;
  }

  timeTrunc(granularity: StandardGranularity, expr: string): string {
    return `date_trunc('${granularity}', ${expr})`;
  }

  /**
   * Whole units since the origin, floored: date_diff truncates toward zero, so a row in a
   * partial unit before the origin counts one unit less. Divided in DOUBLE: `n / 1209600.0`
   * would be a DECIMAL division rounded to one digit, moving rows to the next bucket.
   */
  timeBucket(expr: string, n: number, unit: StandardGranularity, origin: string): string {
    const months = UNIT_MONTHS[unit];
    const [u, width] = months ? ['month', n * months] : ['second', n * UNIT_SECONDS[unit]!];
    const diff = `date_diff('${u}', ${origin}, ${expr})`;
    const whole = `(${diff} - IF(date_add('${u}', ${diff}, ${origin}) > ${expr}, 1, 0))`;
    return `date_add('${u}', CAST(floor(CAST(${whole} AS DOUBLE) / ${width}) * ${width} AS BIGINT), ${origin})`;
  }

  addInterval(expr: string, n: number, unit: StandardGranularity): string {
    return `date_add('${unit}', ${n}, ${expr})`;
  }

  /** PrestoDB's CONCAT takes only strings; a DOUBLE cast to VARCHAR reads as DuckDB's does ('40.5'). */
  override geo(lat: string, lng: string): string {
    return `CONCAT(CAST(${lat} AS VARCHAR), ',', CAST(${lng} AS VARCHAR))`;
  }

  addUnits(expr: string, n: string, unit: StandardGranularity): string {
    return `date_add('${unit}', CAST(${n} AS BIGINT), ${expr})`;
  }

  secondsBetween(from: string, to: string): string {
    return `date_diff('second', ${from}, ${to})`;
  }

  override limitOffset(limit: number | undefined, offset: number | undefined): string {
    const parts: string[] = [];
    if (offset) parts.push(`OFFSET ${offset}`);
    if (limit !== undefined) parts.push(`LIMIT ${limit}`);
    return parts.join(' ');
  }
}
