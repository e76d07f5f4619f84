// What funnels need beyond the shared SQL dialect, as data per engine: the median, adding a
// bound number of milliseconds to a timestamp, and reading a string out of JSON text.
import { getDialect } from '../sql/get-dialect.ts';
import type { Dialect } from '../sql/dialect.ts';

export interface FunnelSpelling {
  /** Median of a numeric expression (exact where the engine has it). */
  readonly median: (expr: string) => string;
  /** `ts + ms` where ms is a bound BIGINT parameter. */
  readonly addMillis: (ts: string, ms: string) => string;
  /** String at a JSONPath (bound) inside a JSON text column. */
  readonly jsonString: (json: string, path: string) => string;
  readonly medianIsApproximate: boolean;
}

const duckdb: FunnelSpelling = {
  median: (e) => `quantile_cont(${e}, 0.5)`,
  addMillis: (ts, ms) => `(${ts} + to_milliseconds(CAST(${ms} AS BIGINT)))`,
  jsonString: (j, p) => `json_extract_string(${j}, ${p})`,
  medianIsApproximate: false,
};
const presto: FunnelSpelling = {
  median: (e) => `approx_percentile(${e}, 0.5)`,
  addMillis: (ts, ms) => `date_add('millisecond', CAST(${ms} AS BIGINT), ${ts})`,
  jsonString: (j, p) => `json_extract_scalar(${j}, ${p})`,
  medianIsApproximate: true,
};

const spellings: Readonly<Record<string, FunnelSpelling>> = { duckdb, presto, trino: presto, athena: presto };

export interface FunnelDialect { readonly sql: Dialect; readonly funnel: FunnelSpelling }

/** Funnels run on the event engines (DuckDB, Presto, Trino, Athena); MySQL holds no events. */
export function getFunnelDialect(name: string | Dialect): FunnelDialect {
  const sql = getDialect(name);
  const funnel = spellings[sql.name === 'prestodb' ? 'presto' : sql.name];
  if (!funnel) throw new Error(`Funnels are not supported on the '${sql.name}' engine; use DuckDB, Presto, Trino or Athena`);
  return { sql, funnel };
}
