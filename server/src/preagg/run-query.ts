// The whole query path with pre-aggregations, for callers that hold a normalised query (the
// refresh CLI's checks, tests, and an API that wants the fallback built in): prepare → compile
// with the matcher → run on the store, and on any store failure compile for the source instead.
import type { CompiledModel } from '../model/types.ts';
import { compileQuery, type CompiledQuery } from '../sql/compile-query.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { PreAggregations } from './pre-aggregations.ts';

export interface RunQueryOptions {
  readonly dialect: string;
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly runSource: (sql: string, params: readonly unknown[]) => Promise<Record<string, unknown>[]>;
}

export interface RunQueryResult {
  readonly rows: Record<string, unknown>[];
  readonly compiled: CompiledQuery;
  /** The pre-aggregation that served the rows, or null for the source. */
  readonly usedPreAggregation: string | null;
}

export async function runQuery(preAggs: PreAggregations, model: CompiledModel, q: NormalizedQuery, o: RunQueryOptions): Promise<RunQueryResult> {
  const fromSource = async (): Promise<RunQueryResult> => {
    const compiled = compileQuery(model, q, { dialect: o.dialect, securityContext: o.securityContext });
    return { rows: await o.runSource(compiled.sql, compiled.params), compiled, usedPreAggregation: null };
  };
  await preAggs.prepare(q, model);
  const compiled = compileQuery(model, q, { dialect: o.dialect, securityContext: o.securityContext, preAggregations: preAggs.matcher });
  const used = Object.keys(compiled.usedPreAggregations)[0];
  if (!used) return fromSource();
  // original_sql tables live in the source: the query runs there, as compiled.
  if (Object.values(compiled.usedPreAggregations).every((u) => u.type === 'originalSql')) {
    return { rows: await o.runSource(compiled.sql, compiled.params), compiled, usedPreAggregation: used };
  }
  try {
    return { rows: await preAggs.execute(compiled), compiled, usedPreAggregation: used };
  } catch (e) {
    preAggs.markUnhealthy(e);
    return fromSource();
  }
}
