// Join planning as Cube's JoinGraph: joins are directed LEFT JOINs from the declaring cube.
// Hints (cubes, or paths of cubes such as a view member's join_path) are joined in order from a
// root, each step over the fewest edges (BFS, i.e. Dijkstra with unit weights); a path hint
// walks its own route. Every hint's first cube is tried as root and the tree with the fewest
// joins wins (first on a tie). Cubes named by a join's condition (`{users.id} = {pairs.user_id}`
// on facts → pairs) are joined too, before that join. Also reports which cubes the tree
// multiplies (fan-out), by Cube's rule.
import { UserError } from '../errors.ts';
import type { CompiledModel, Join } from '../model/types.ts';
import { joinConditionCubes, type JoinHint } from './collect-cubes.ts';

export interface JoinPlan {
  readonly root: string;
  /** In join order: each join's `from`, and every cube its condition names, is the root or an earlier join's `to`. */
  readonly joins: readonly Join[];
  /** Cubes whose rows the join tree repeats (Cube's multiplicationFactor). */
  readonly multiplied: ReadonlySet<string>;
}

/** Shortest directed routes from one cube (BFS): each reached cube → the join that reaches it. */
type Routes = (from: string) => ReadonlyMap<string, Join>;

function routesOf(model: CompiledModel): Routes {
  const cache = new Map<string, Map<string, Join>>();
  return (from) => {
    let via = cache.get(from);
    if (via) return via;
    via = new Map<string, Join>();
    const seen = new Set([from]);
    const queue = [from];
    while (queue.length) {
      const cube = queue.shift()!;
      for (const j of model.joinsFrom.get(cube) ?? []) {
        if (seen.has(j.to)) continue;
        seen.add(j.to);
        via.set(j.to, j);
        queue.push(j.to);
      }
    }
    cache.set(from, via);
    return via;
  };
}

/** The fewest directed joins leading from `from` to `to`, or null when `to` is unreachable. */
function route(routes: Routes, from: string, to: string): Join[] | null {
  const via = routes(from);
  if (!via.has(to)) return null;
  const out: Join[] = [];
  for (let c = to; c !== from; c = via.get(c)!.from) out.unshift(via.get(c)!);
  return out;
}

// A join's condition never changes within a model: walk its references once.
const conditionCubes = new WeakMap<Join, readonly string[]>();
function needs(model: CompiledModel, j: Join): readonly string[] {
  let out = conditionCubes.get(j);
  if (!out) { out = joinConditionCubes(model, j.sql, j.from, j.to); conditionCubes.set(j, out); }
  return out;
}

const asPath = (h: JoinHint): readonly string[] => (typeof h === 'string' ? [h] : h);

function buildTree(routes: Routes, root: string, hints: readonly JoinHint[]): Map<string, Join> | null {
  const tree = new Map<string, Join>();
  const joined = (c: string): boolean => c === root || tree.has(c);
  for (const hint of hints) {
    let prev = root;
    for (const target of asPath(hint)) {
      if (target === prev) continue;
      if (!joined(target)) {
        const steps = route(routes, prev, target);
        if (!steps) return null;
        for (const j of steps) if (!joined(j.to)) tree.set(j.to, j);
      }
      prev = target;
    }
  }
  return tree;
}

/** Orders the tree so a join comes after its source and after every cube its condition names. */
function order(model: CompiledModel, root: string, tree: ReadonlyMap<string, Join>): Join[] | null {
  const ordered: Join[] = [];
  const present = new Set([root]);
  while (ordered.length < tree.size) {
    const before = ordered.length;
    for (const j of tree.values()) {
      if (present.has(j.to) || !present.has(j.from)) continue;
      if (!needs(model, j).every((c) => present.has(c))) continue;
      ordered.push(j);
      present.add(j.to);
    }
    if (ordered.length === before) return null;
  }
  return ordered;
}

/** Cube's findMultiplicationFactorFor: walking the tree away from `cube`, some join repeats the side it is entered from. */
function isMultiplied(cube: string, joins: readonly Join[]): boolean {
  const visited = new Set([cube]);
  const stack = [cube];
  while (stack.length) {
    const at = stack.pop()!;
    for (const j of joins) {
      if (j.from !== at && j.to !== at) continue;
      const next = j.from === at ? j.to : j.from;
      if (visited.has(next)) continue;
      if (j.multiplied === at) return true;
      visited.add(next);
      stack.push(next);
    }
  }
  return false;
}

function planFor(model: CompiledModel, routes: Routes, root: string, hints: readonly JoinHint[]): Join[] | null {
  let all = [...hints];
  // Join conditions may name cubes outside the tree: add them as hints until none is missing.
  for (let round = 0; round < 32; round++) {
    const tree = buildTree(routes, root, all);
    if (!tree) return null;
    const have = new Set([root, ...tree.keys()]);
    const missing = [...new Set([...tree.values()].flatMap((j) => needs(model, j)))]
      .filter((c) => !have.has(c));
    if (missing.length === 0) return order(model, root, tree);
    all = [...missing, ...all];
  }
  return null;
}

export function planJoins(model: CompiledModel, cubes: readonly JoinHint[], hints: readonly (readonly string[])[] = [], root?: string): JoinPlan {
  const all: JoinHint[] = [...hints, ...cubes];
  const key = (h: JoinHint) => (typeof h === 'string' ? h : h.join('.'));
  const unique = [...new Map(all.map((h) => [key(h), h])).values()];
  const candidates = root ? [root] : [...new Set(unique.map((h) => asPath(h)[0]))];
  const routes = routesOf(model);
  // No tree joins fewer cubes than the hints name: such a tree cannot be beaten.
  const fewest = new Set(unique.flatMap(asPath)).size - 1;
  let best: { root: string; joins: Join[] } | null = null;
  for (const r of candidates) {
    const joins = planFor(model, routes, r, unique);
    if (joins && (!best || joins.length < best.joins.length)) best = { root: r, joins };
    if (best && best.joins.length <= fewest) break;
  }
  if (!best) {
    const names = [...new Set(unique.map((h) => asPath(h)[asPath(h).length - 1]))];
    throw new UserError(`Can't find join path to join ${names.map((c) => `'${c}'`).join(', ')}`);
  }
  const inTree = [best.root, ...best.joins.map((j) => j.to)];
  const multiplied = new Set(inTree.filter((c) => isMultiplied(c, best!.joins)));
  return { root: best.root, joins: best.joins, multiplied };
}
