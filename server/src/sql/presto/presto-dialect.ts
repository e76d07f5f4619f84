// PrestoDB: `AT TIME ZONE` under a UTC session (as Cube's PrestodbQuery), zone-less timestamp
// parameters, date_add intervals, OFFSET before LIMIT, approx_distinct.
import { Dialect, UNIT_MONTHS, UNIT_SECONDS, type Spelling } from '../dialect.ts';
import type { StandardGranularity } from '../../query/types.ts';

export class PrestoDialect extends Dialect {
  readonly name: string = 'presto';
  readonly spelling: Spelling = { timestampType: 'TIMESTAMP', numericType: 'DOUBLE', stringType: 'VARCHAR', approxDistinct: 'approx_distinct' };

  /** Parsed as ISO (Cube's spelling) and cast back to a zone-less timestamp, so the session zone cannot shift it. */
  override timestampParam(param: string): string {
    return `CAST(from_iso8601_timestamp(${param}) AS TIMESTAMP)`;
  }

  convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CAST((${expr} AT TIME ZONE ${this.stringLiteral(tz)}) AS TIMESTAMP)`;
  }

  timeTrunc(granularity: StandardGranularity, expr: string): string {
    return `date_trunc('${granularity}', ${expr})`;
  }

  timeBucket(expr: string, n: number, unit: StandardGranularity, origin: string): string {
    const months = UNIT_MONTHS[unit];
    const [u, width] = months ? ['month', n * months] : ['second', n * UNIT_SECONDS[unit]!];
    return `date_add('${u}', CAST(floor(date_diff('${u}', ${origin}, ${expr}) / ${width}.0) * ${width} AS BIGINT), ${origin})`;
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
