// MySQL / MariaDB: backticks, no date_trunc (DATE_FORMAT / week and quarter arithmetic from a
// Monday epoch), CONVERT_TZ (needs the server's time-zone tables for named zones), `<=>`.
import { Dialect, UNIT_MONTHS, UNIT_SECONDS, type Spelling } from '../dialect.ts';
import type { StandardGranularity } from '../../query/types.ts';

const FORMATS: Partial<Record<StandardGranularity, string>> = {
  second: '%Y-%m-%d %H:%i:%s', minute: '%Y-%m-%d %H:%i:00', hour: '%Y-%m-%d %H:00:00',
  day: '%Y-%m-%d 00:00:00', month: '%Y-%m-01 00:00:00', year: '%Y-01-01 00:00:00',
};

export class MySqlDialect extends Dialect {
  readonly name: string = 'mysql';
  readonly spelling: Spelling = { timestampType: 'DATETIME(3)', numericType: 'DECIMAL(38,10)', stringType: 'CHAR', approxDistinct: 'COUNT(DISTINCT' };
  override readonly supportsIsNotDistinctFrom = false;
  override readonly likeNeedsEscapeClause = false;
  override readonly supportsFullJoin = false;

  override quoteIdentifier(name: string): string {
    return `\`${name.replace(/`/g, '``')}\``;
  }

  override nullSafeEquals(a: string, b: string): string {
    return `${a} <=> ${b}`;
  }

  override countDistinctApprox(expr: string): string {
    return `COUNT(DISTINCT ${expr})`;
  }

  /** MySQL reads a string as a DATETIME wherever one is expected; no cast keeps a column's index usable. */
  override timeColumn(expr: string): string {
    return expr;
  }

  convertTz(expr: string, tz: string): string {
    return tz === 'UTC' ? expr : `CONVERT_TZ(${expr}, '+00:00', ${this.stringLiteral(tz)})`;
  }

  timeTrunc(granularity: StandardGranularity, expr: string): string {
    const format = FORMATS[granularity];
    if (format) return `CAST(DATE_FORMAT(${expr}, '${format}') AS DATETIME)`;
    // 1900-01-01 was a Monday and starts a quarter: count whole units since then.
    const unit = granularity === 'week' ? 'WEEK' : 'QUARTER';
    return `CAST(DATE_ADD('1900-01-01', INTERVAL TIMESTAMPDIFF(${unit}, '1900-01-01', ${expr}) ${unit}) AS DATETIME)`;
  }

  /** Whole units since the origin, floored: TIMESTAMPDIFF truncates toward zero, so a row in a partial unit before the origin counts one less. */
  timeBucket(expr: string, n: number, unit: StandardGranularity, origin: string): string {
    const months = UNIT_MONTHS[unit];
    const [u, width] = months ? ['MONTH', n * months] : ['SECOND', n * UNIT_SECONDS[unit]!];
    const diff = `TIMESTAMPDIFF(${u}, ${origin}, ${expr})`;
    const whole = `(${diff} - (DATE_ADD(${origin}, INTERVAL ${diff} ${u}) > ${expr}))`;
    return `DATE_ADD(${origin}, INTERVAL FLOOR(${whole} / ${width}) * ${width} ${u})`;
  }

  addInterval(expr: string, n: number, unit: StandardGranularity): string {
    return `DATE_ADD(${expr}, INTERVAL ${n} ${unit.toUpperCase()})`;
  }

  addUnits(expr: string, n: string, unit: StandardGranularity): string {
    return `DATE_ADD(${expr}, INTERVAL (${n}) ${unit.toUpperCase()})`;
  }

  secondsBetween(from: string, to: string): string {
    return `TIMESTAMPDIFF(SECOND, ${from}, ${to})`;
  }
}
