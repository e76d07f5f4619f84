// Whether a rollup was built over the joins a query would use. A member reached over a join path
// (a view's join_path, a pre-aggregation member written `orders.users.city`) may come through
// other joins than the shortest route: a rollup built one way must not answer a query the other.
import type { CompiledModel, Join, PreAggregation } from '../model/types.ts';
import { collectCubes } from '../planner/collect-cubes.ts';
import { planJoins } from '../planner/plan-joins.ts';
import type { NormalizedQuery } from '../query/types.ts';

/** Cube → the join that brings it in, or null when the members cannot be joined. */
function edges(model: CompiledModel, members: readonly string[], hints: readonly (readonly string[])[]): Map<string, Join> | null {
  try {
    const { cubes } = collectCubes(model, members);
    return new Map(planJoins(model, cubes, hints).joins.map((j) => [j.to, j]));
  } catch { return null; }
}

/** Whether a query picks its joins other than by the shortest routes (join hints, view join paths). */
export function routedQuery(model: CompiledModel, query: NormalizedQuery, queryMembers: readonly string[]): boolean {
  return !!query.joinHints?.length || collectCubes(model, queryMembers).cubes.some((h) => typeof h !== 'string');
}

export function sameJoinRoutes(model: CompiledModel, query: NormalizedQuery, queryMembers: readonly string[], pa: PreAggregation, routed: boolean): boolean {
  if (!pa.joinHints?.length && !routed) return true;
  const paMembers = [...pa.measures, ...pa.dimensions, ...pa.segments, ...pa.timeDimensions.map((t) => t.dimension)];
  const built = edges(model, paMembers, pa.joinHints ?? []);
  const asked = edges(model, queryMembers, query.joinHints ?? []);
  if (!built || !asked) return false;
  for (const [cube, j] of asked) {
    const b = built.get(cube);
    if (b && b !== j) return false;
  }
  for (const [cube, j] of built) {
    const a = asked.get(cube);
    if (a && a !== j) return false;
  }
  return true;
}
