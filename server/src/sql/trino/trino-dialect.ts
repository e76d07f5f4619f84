// Trino: as PrestoDB, but its to_unixtime reads a TIMESTAMP in the session's zone, so the naive
// UTC value is pinned to UTC with with_timezone before the zone change.
import { PrestoDialect } from '../presto/presto-dialect.ts';

export class TrinoDialect extends PrestoDialect {
  override readonly name: string = 'trino';

  override convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CAST(with_timezone(${expr}, 'UTC') AT TIME ZONE ${this.stringLiteral(tz)} AS TIMESTAMP)`;
  }

  /** Trino casts a DOUBLE to VARCHAR in scientific notation ('4.05E1'); format('%s') gives '40.5'. */
  override geo(lat: string, lng: string): string {
    return `CONCAT(format('%s', ${lat}), ',', format('%s', ${lng}))`;
  }
}
