// Which rollups a query may be matched against, and which are lambda (union_with_source_data).
// Cube's two spellings both work: a `rollup` with `union_with_source_data: true`, and a
// `rollup_lambda` listing a batch rollup. A batch rollup behind a lambda holds data only up to
// its lambda boundary, so it is matched through the lambda only, never alone.
import type { CompiledModel, PreAggregation } from '../model/types.ts';

export interface Candidate {
  /** The rollup whose tables and builds serve the query. */
  readonly rollup: PreAggregation;
  /** Name reported in usedPreAggregations (the lambda's own path for rollup_lambda). */
  readonly name: string;
  readonly lambda: boolean;
}

const cache = new WeakMap<CompiledModel, readonly Candidate[]>();

export function matchCandidates(model: CompiledModel): readonly Candidate[] {
  let c = cache.get(model);
  if (c) return c;
  const behindLambda = new Set<string>();
  for (const pa of model.preAggregations.values()) {
    if (pa.type !== 'rollupLambda' || pa.rollups.length !== 1) continue;
    const batch = model.preAggregations.get(pa.rollups[0]!);
    if (batch?.type === 'rollup') behindLambda.add(batch.path);
  }
  // Definition order, as Cube picks the first pre-aggregation that matches. Putting the lambdas
  // first made a realtime rollup answer 28-day totals: the Overview's Views card was then live
  // (and re-read the source tail on every visit) beside cards from the batch rollups.
  const out: Candidate[] = [];
  for (const pa of model.preAggregations.values()) {
    if (pa.type === 'rollupLambda' && pa.rollups.length === 1) {
      const batch = model.preAggregations.get(pa.rollups[0]!);
      if (batch?.type === 'rollup') out.push({ rollup: batch, name: pa.path, lambda: pa.unionWithSourceData });
    } else if (pa.type === 'rollup' && !behindLambda.has(pa.path)) {
      out.push({ rollup: pa, name: pa.path, lambda: pa.unionWithSourceData });
    }
  }
  c = Object.freeze(out);
  cache.set(model, c);
  return c;
}

/** True when builds of this rollup stop at the lambda boundary (the rest is read live). */
export function isLambdaBatch(model: CompiledModel, pa: PreAggregation): boolean {
  return matchCandidates(model).some((c) => c.lambda && c.rollup.path === pa.path);
}
