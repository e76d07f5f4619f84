// Athena (engine v3 is Trino): Trino's SQL; kept as its own dialect so Athena-only spellings
// (e.g. partition projection quirks) have a home.
import { TrinoDialect } from '../trino/trino-dialect.ts';

export class AthenaDialect extends TrinoDialect {
  override readonly name: string = 'athena';
}
