// PrestoDB: `AT TIME ZONE` under a UTC session (as Cube's PrestodbQuery), from_iso8601_timestamp
// parameters, date_add intervals, OFFSET before LIMIT, approx_distinct.
import { Dialect, type Spelling } from '../dialect.ts';
import type { StandardGranularity } from '../../query/types.ts';

export class PrestoDialect extends Dialect {
  readonly name: string = 'presto';
  readonly spelling: Spelling = { timestampType: 'TIMESTAMP', numericType: 'DOUBLE', stringType: 'VARCHAR', approxDistinct: 'approx_distinct' };

  override timestampParam(param: string): string {
    return `from_iso8601_timestamp(${param})`;
  }

  convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CAST((${expr} AT TIME ZONE ${this.stringLiteral(tz)}) AS TIMESTAMP)`;
  }

  timeTrunc(granularity: StandardGranularity, expr: string): string {
    return `date_trunc('${granularity}', ${expr})`;
  }

  addInterval(expr: string, n: number, unit: StandardGranularity): string {
    return `date_add('${unit}', ${n}, ${expr})`;
  }

  override limitOffset(limit: number | undefined, offset: number | undefined): string {
    const parts: string[] = [];
    if (offset) parts.push(`OFFSET ${offset}`);
    if (limit !== undefined) parts.push(`LIMIT ${limit}`);
    return parts.join(' ');
  }
}
