// Join planning as Cube's JoinGraph: joins are directed LEFT JOINs from the declaring cube;
// the root is the cube from which every needed cube is reachable over the fewest edges
// (shortest paths by BFS, i.e. Dijkstra with unit weights); join hints and views' join_path
// force their edges first. Also reports which cubes the tree multiplies (fan-out).
import { UserError } from '../errors.ts';
import type { CompiledModel, Join } from '../model/types.ts';

export interface JoinPlan {
  readonly root: string;
  /** In join order: each join's `from` is the root or an earlier join's `to`. */
  readonly joins: readonly Join[];
  /** Cubes whose rows the join tree repeats (Cube's multiplicationFactor). */
  readonly multiplied: ReadonlySet<string>;
}

function shortestPaths(model: CompiledModel, root: string): Map<string, Join> {
  const via = new Map<string, Join>();
  const seen = new Set([root]);
  const queue = [root];
  while (queue.length) {
    const cube = queue.shift()!;
    for (const j of model.joinsFrom.get(cube) ?? []) {
      if (seen.has(j.to)) continue;
      seen.add(j.to);
      via.set(j.to, j);
      queue.push(j.to);
    }
  }
  return via;
}

function buildTree(model: CompiledModel, root: string, cubes: readonly string[], hints: readonly (readonly string[])[]): Join[] | null {
  const tree = new Map<string, Join>();
  for (const hint of hints) {
    if (hint[0] !== root) continue;
    for (let i = 1; i < hint.length; i++) {
      const j = (model.joinsFrom.get(hint[i - 1]) ?? []).find((e) => e.to === hint[i]);
      if (!j) throw new UserError(`Can't find join path to join '${hint[i - 1]}', '${hint[i]}'`);
      if (!tree.has(j.to)) tree.set(j.to, j);
    }
  }
  const via = shortestPaths(model, root);
  for (const cube of cubes) {
    let c = cube;
    while (c !== root && !tree.has(c)) {
      const j = via.get(c);
      if (!j) return null;
      tree.set(c, j);
      c = j.from;
    }
  }
  // Order so every join's source is already in the FROM clause.
  const ordered: Join[] = [];
  const present = new Set([root]);
  while (ordered.length < tree.size) {
    const before = ordered.length;
    for (const j of tree.values()) if (!present.has(j.to) && present.has(j.from)) { ordered.push(j); present.add(j.to); }
    if (ordered.length === before) return null;
  }
  return ordered;
}

export function planJoins(model: CompiledModel, cubes: readonly string[], hints: readonly (readonly string[])[] = [], root?: string): JoinPlan {
  const unique = [...new Set(cubes)];
  const candidates = root ? [root] : hints.length ? [hints[0][0], ...unique] : unique;
  let best: { root: string; joins: Join[] } | null = null;
  for (const root of new Set(candidates)) {
    const joins = buildTree(model, root, unique, hints);
    if (joins && (!best || joins.length < best.joins.length)) best = { root, joins };
    if (best && best.joins.length === unique.length - 1) break;
  }
  if (!best) throw new UserError(`Can't find join path to join ${unique.map((c) => `'${c}'`).join(', ')}`);
  const multiplied = new Set<string>();
  for (const j of best.joins) if (j.multiplied) multiplied.add(j.multiplied);
  return { root: best.root, joins: best.joins, multiplied };
}
