// Wires the builder's SourceEngine to the real pipeline: the rollup's own Cube query is
// normalised and compiled in the SOURCE dialect (never against rollups; against built
// original_sql tables when the rollup uses them) and run by the source driver; result aliases
// are mapped back to member ids. An avg measure's hidden sum and count (avgPart ids) resolve
// against withAvgParts(model), a count_distinct_approx's sketch parts against withSketchParts.
import type { CompiledModel } from '../model/types.ts';
import { withAvgParts } from './avg-parts-model.ts';
import { withSketchParts } from './sketch-parts-model.ts';
import { compileQuery } from '../sql/compile-query.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import type { SourceEngine, SourceQuery, SourceRow } from './source-engine.ts';

/** The part of the query engineer's Driver the builder uses. */
export interface SourceDriver {
  query(sql: string, params: readonly unknown[], opts?: { signal?: AbortSignal }): Promise<Record<string, unknown>[]>;
}

export interface CompiledSourceOptions {
  readonly getModel: () => CompiledModel;
  readonly driver: SourceDriver;
  /** Source dialect name: duckdb, athena, presto, trino, mysql. */
  readonly dialect: string;
  readonly securityContext?: Readonly<Record<string, unknown>>;
}

const NO_LIMIT = Number.MAX_SAFE_INTEGER;

export function createSourceEngine(o: CompiledSourceOptions): SourceEngine {
  return {
    async load(q: SourceQuery, opts) {
      const model = withSketchParts(withAvgParts(o.getModel()), o.dialect);
      const raw = {
        measures: [...q.measures], dimensions: [...q.dimensions], segments: [...q.segments],
        timeDimensions: q.timeDimensions.map((t) => ({ ...t, ...(t.dateRange ? { dateRange: [...t.dateRange] } : {}) })),
        timezone: q.timezone, limit: NO_LIMIT,
        ...(q.joinHints?.length ? { joinHints: q.joinHints.map((h) => [...h]) } : {}),
      };
      // Every row: Infinity renders no LIMIT at all (render-query.ts).
      const nq = { ...normalizeQuery(raw, model, { maxLimit: NO_LIMIT }), order: [], limit: Infinity };
      // Never a rollup; a built original_sql only where the caller passes one (use_original_sql_pre_aggregations).
      const sources = q.cubeSources;
      const preAggregations = sources ? {
        match: () => null,
        originalSql: (cube: string) => {
          const s = sources[cube];
          if (!s) return null;
          return typeof s === 'string' ? { preAggregation: cube, from: s, targetTableName: '' } : { preAggregation: cube, ...s, targetTableName: '' };
        },
      } : undefined;
      const compiled = compileQuery(model, nq, { dialect: o.dialect, securityContext: o.securityContext ?? {}, preAggregations });
      const rows = await o.driver.query(compiled.sql, compiled.params, { signal: opts?.signal });
      return rows.map((r) => {
        const out: SourceRow = {};
        for (const [alias, member] of Object.entries(compiled.aliasToMember)) out[member] = r[alias];
        return out;
      });
    },
    sql: (sql) => o.driver.query(sql, []),
  };
}
