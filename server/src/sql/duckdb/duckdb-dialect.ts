// DuckDB: ILIKE, `$n` placeholders, ICU `timezone()` for zone conversion, ISO (Monday) weeks in date_trunc.
import { Dialect, UNIT_MONTHS, UNIT_SECONDS, type Spelling } from '../dialect.ts';
import type { StandardGranularity } from '../../query/types.ts';

export class DuckDbDialect extends Dialect {
  readonly name: string = 'duckdb';
  readonly spelling: Spelling = { timestampType: 'TIMESTAMP', numericType: 'DOUBLE', stringType: 'VARCHAR', approxDistinct: 'approx_count_distinct' };
  override readonly supportsIlike = true;

  override placeholder(n: number): string {
    return `$${n}`;
  }

  convertTz(expr: string, tz: string): string {
    // timezone('UTC', ts) reads the naive UTC value as an instant; timezone(tz, tstz) gives its wall time.
    return tz === 'UTC' ? expr : `timezone(${this.stringLiteral(tz)}, timezone('UTC', ${expr}))`;
  }

  timeTrunc(granularity: StandardGranularity, expr: string): string {
    return `date_trunc('${granularity}', ${expr})`;
  }

  timeBucket(expr: string, n: number, unit: StandardGranularity, origin: string): string {
    const months = UNIT_MONTHS[unit];
    const width = months ? `${n * months} month` : `${n * UNIT_SECONDS[unit]!} second`;
    return `time_bucket(INTERVAL '${width}', ${expr}, ${origin})`;
  }

  addInterval(expr: string, n: number, unit: StandardGranularity): string {
    return `(${expr} + INTERVAL '${n} ${unit}')`;
  }

  addUnits(expr: string, n: string, unit: StandardGranularity): string {
    return `(${expr} + CAST(${n} AS BIGINT) * INTERVAL '1 ${unit}')`;
  }

  secondsBetween(from: string, to: string): string {
    return `(epoch(${to}) - epoch(${from}))`;
  }
}
