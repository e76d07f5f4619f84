// Whole-model checks over compiled cubes: member reference cycles, the primary-key rule for
// joined cubes, and the undirected connected components reported in /v1/meta.
import type { ErrorReporter } from './error-reporter.ts';
import { templateRefs } from './render-template.ts';
import type { Cube, Join, Member, SqlTemplate } from './types.ts';

function memberTemplates(m: Member): SqlTemplate[] {
  const out: SqlTemplate[] = [];
  if (m.sql) out.push(m.sql);
  if (m.kind === 'measure') out.push(...m.filters);
  if (m.kind === 'dimension') {
    if (m.latitude) out.push(m.latitude);
    if (m.longitude) out.push(m.longitude);
    for (const w of m.case?.when ?? []) {
      out.push(w.sql);
      if (typeof w.label !== 'string') out.push(w.label.sql);
    }
    const e = m.case?.else?.label;
    if (e && typeof e !== 'string') out.push(e.sql);
  }
  return out;
}

/** Reports each member reference cycle once (`a.x -> a.y -> a.x`); returns the members in cycles. */
export function findCycles(members: ReadonlyMap<string, Member>, reporter: ErrorReporter): Set<string> {
  const state = new Map<string, 'visiting' | 'done'>();
  const inCycle = new Set<string>();
  const stack: string[] = [];
  const visit = (path: string): void => {
    const s = state.get(path);
    if (s === 'done') return;
    if (s === 'visiting') {
      const cycle = [...stack.slice(stack.indexOf(path)), path];
      const first = members.get(path)!;
      if (!cycle.slice(0, -1).some((c) => inCycle.has(c))) {
        reporter.add({
          file: first.location.file, line: first.location.line,
          path: `${first.cube}.${first.kind}s.${first.name}`,
          message: `Circular reference: ${cycle.join(' -> ')}`,
        });
      }
      cycle.forEach((c) => inCycle.add(c));
      return;
    }
    const m = members.get(path);
    if (!m) return;
    state.set(path, 'visiting');
    stack.push(path);
    for (const t of memberTemplates(m)) for (const r of templateRefs(t).members) visit(`${r.cube}.${r.member}`);
    stack.pop();
    state.set(path, 'done');
  };
  for (const path of members.keys()) visit(path);
  return inCycle;
}

const NEEDS_PK = new Set(['sum', 'avg', 'count', 'number']);

/** Cube's rule: a joined cube with sum/avg/count/number measures must have a primary key. */
export function checkPrimaryKeys(cubes: ReadonlyMap<string, Cube>, joins: readonly Join[], reporter: ErrorReporter): void {
  const reported = new Set<string>();
  for (const join of joins) {
    for (const name of [join.from, join.to]) {
      const cube = cubes.get(name);
      if (!cube || reported.has(name) || cube.primaryKeys.length > 0) continue;
      if (![...cube.measures.values()].some((m) => NEEDS_PK.has(m.type))) continue;
      reported.add(name);
      reporter.add({
        file: join.location.file, line: join.location.line, path: `${join.from}.joins.${join.to}`,
        message: `primary key for '${name}' is required when join is defined in order to make aggregates work properly`,
      });
    }
  }
}

/**
 * Cube's JoinGraph.connectedComponents: ids are handed out per cube that declares joins (in
 * order, skipping ids whose cube was already reached), and spread over undirected edges;
 * cubes without any join get none. Views get their root cube's id (Cube's /meta omits it).
 */
export function connectedComponents(
  joins: readonly Join[], viewRoots: ReadonlyMap<string, string | undefined>,
): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  const link = (a: string, b: string): void => { neighbours.set(a, [...(neighbours.get(a) ?? []), b]); };
  for (const j of joins) { link(j.from, j.to); link(j.to, j.from); }
  const out = new Map<string, number>();
  const mark = (start: string, id: number): void => {
    const stack = [start];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (out.has(n)) continue;
      out.set(n, id);
      stack.push(...(neighbours.get(n) ?? []));
    }
  };
  let id = 1;
  for (const from of new Set(joins.map((j) => j.from))) mark(from, id++);
  for (const [view, root] of viewRoots) {
    const rootId = root === undefined ? undefined : out.get(root);
    if (rootId !== undefined) out.set(view, rootId);
  }
  return out;
}
