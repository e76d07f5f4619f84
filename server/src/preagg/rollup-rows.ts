// The rows of one rollup table (a partition, a whole table or a lambda tail), keyed by the
// rollup columns' member ids: the rollup's own query, then, per count_distinct_approx measure,
// its HyperLogLog sketch rows (register, max rank) at the rollup's grain. Both come from the
// source through the ordinary query compiler, so build and lambda tail agree on their shape.
import type { CompiledModel, PreAggregation } from '../model/types.ts';
import { rollupQuery } from './build-partition.ts';
import { SKETCH_REGISTER, sketchRank } from './rollup-columns.ts';
import { sketchRegisterDimension } from './sketch-parts-model.ts';
import type { SourceEngine, SourceRow } from './source-engine.ts';
import type { LocalRange } from './time.ts';
import type { CubeSource } from '../sql/render-context.ts';

/** count_distinct_approx measures of a rollup, each stored as a sketch. */
export function sketchMeasures(model: CompiledModel, pa: PreAggregation): string[] {
  return pa.measures.filter((m) => { const x = model.members.get(m); return x?.kind === 'measure' && x.type === 'countDistinctApprox'; });
}

export interface RollupRowsInput {
  readonly source: SourceEngine;
  readonly model: CompiledModel;
  readonly preAgg: PreAggregation;
  readonly timezone: string;
  readonly range?: LocalRange;
  readonly cubeSources?: Readonly<Record<string, CubeSource>>;
  readonly signal?: AbortSignal;
}

export async function rollupRows(i: RollupRowsInput): Promise<SourceRow[]> {
  const base = rollupQuery(i.model, i.preAgg, i.timezone, i.range, i.cubeSources);
  const rows = await i.source.load(base, { signal: i.signal });
  for (const measure of sketchMeasures(i.model, i.preAgg)) {
    const register = sketchRegisterDimension(measure);
    const rank = sketchRank(measure);
    const sketch = await i.source.load({ ...base, measures: [rank], dimensions: [...base.dimensions, register] }, { signal: i.signal });
    for (const r of sketch) {
      // A register group whose values all failed the measure's filters has no rank: not a sketch row.
      if (r[rank] === null || r[rank] === undefined || r[register] === null || r[register] === undefined) continue;
      const { [register]: reg, ...rest } = r;
      rows.push({ ...rest, [SKETCH_REGISTER]: reg });
    }
  }
  return rows;
}
