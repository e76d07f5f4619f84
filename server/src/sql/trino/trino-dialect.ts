// Trino: as Presto, but a naive UTC timestamp is pinned to UTC with with_timezone before the
// zone change, so the session time zone does not leak into results.
import { PrestoDialect } from '../presto/presto-dialect.ts';

export class TrinoDialect extends PrestoDialect {
  override readonly name: string = 'trino';

  override convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CAST(with_timezone(${expr}, 'UTC') AT TIME ZONE ${this.stringLiteral(tz)} AS TIMESTAMP)`;
  }
}
