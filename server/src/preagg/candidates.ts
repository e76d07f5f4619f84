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
  const lambdas: Candidate[] = [];
  for (const pa of model.preAggregations.values()) {
    if (pa.type !== 'rollupLambda' || pa.rollups.length !== 1) continue;
    const batch = model.preAggregations.get(pa.rollups[0]!);
    if (!batch || batch.type !== 'rollup') continue;
    behindLambda.add(batch.path);
    lambdas.push({ rollup: batch, name: pa.path, lambda: pa.unionWithSourceData });
  }
  const plain = [...model.preAggregations.values()]
    .filter((pa) => pa.type === 'rollup' && !behindLambda.has(pa.path))
    .map((pa) => ({ rollup: pa, name: pa.path, lambda: pa.unionWithSourceData }));
  c = Object.freeze([...lambdas, ...plain]);
  cache.set(model, c);
  return c;
}

/** True when builds of this rollup stop at the lambda boundary (the rest is read live). */
export function isLambdaBatch(model: CompiledModel, pa: PreAggregation): boolean {
  return matchCandidates(model).some((c) => c.lambda && c.rollup.path === pa.path);
}
