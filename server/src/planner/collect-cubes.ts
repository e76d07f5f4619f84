// Finds every cube a query needs joined, as Cube's join hints in query order: the cubes of its
// members, cubes their SQL references (`{users.city}` inside an orders dimension pulls users
// into the join), and for view members the whole join_path, so the planner follows the view's
// route. A cube a view of the query reaches is hinted by that view's path to it (Cube's
// enrichHintsWithJoinMap), not by the shortest route.
import type { CompiledModel, Member, SqlTemplate } from '../model/types.ts';
import { underlyingMember } from '../query/resolve-member.ts';

/** A cube, or a path of cubes joined one after the other from its first (Cube's JoinHint). */
export type JoinHint = string | readonly string[];

function templates(m: Member): SqlTemplate[] {
  const out: SqlTemplate[] = [];
  if (m.kind === 'measure') { if (m.sql) out.push(m.sql); out.push(...m.filters); }
  else if (m.kind === 'dimension') {
    if (m.sql) out.push(m.sql);
    if (m.latitude) out.push(m.latitude);
    if (m.longitude) out.push(m.longitude);
    for (const w of m.case?.when ?? []) { out.push(w.sql); if (typeof w.label !== 'string') out.push(w.label.sql); }
  } else out.push(m.sql);
  return out;
}

/** The join path of a view member down to its cube (views of views: the innermost one). */
function viewPath(model: CompiledModel, member: Member): readonly string[] | undefined {
  let path: readonly string[] | undefined;
  for (let m: Member | undefined = member, i = 0; m?.aliasOf && i < 16; i++) {
    if (model.cubes.get(m.aliasOf.joinPath[0])?.kind === 'cube') path = m.aliasOf.joinPath;
    m = model.members.get(m.aliasOf.member);
  }
  return path;
}

function viewJoinPaths(model: CompiledModel, view: string): (readonly string[])[] {
  const v = model.cubes.get(view);
  if (!v || v.kind !== 'view') return [];
  return [...v.measures.values(), ...v.dimensions.values(), ...v.segments.values()]
    .flatMap((m) => { const p = viewPath(model, m); return p ? [p] : []; });
}

export function collectCubes(model: CompiledModel, paths: readonly string[]): { cubes: JoinHint[] } {
  const hints: JoinHint[] = [];
  const views = new Set<string>();
  const seen = new Set<string>();
  const visitTemplate = (t: SqlTemplate, owner: string): void => {
    for (const p of t) {
      if (typeof p === 'string') continue;
      if (p.type === 'cube' && p.cube !== owner) hints.push(p.cube);
      if (p.type === 'member') visit(`${p.cube}.${p.member}`);
      if (p.type === 'convertTz') visitTemplate(p.sql, owner);
    }
  };
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const found = model.members.get(path);
    if (!found) return;
    const m = underlyingMember(model, found);
    const route = found.aliasOf ? viewPath(model, found) : undefined;
    if (found.aliasOf) views.add(found.cube);
    // A measure used from another cube's calculated member does not join its cube by itself (Cube).
    hints.push(route && route.length > 1 ? route : m.cube);
    // A sub_query dimension brings its own aggregated sub-select; its references are not joined here.
    if (m.kind === 'dimension' && m.subQuery) return;
    for (const t of templates(m)) visitTemplate(t, m.cube);
  };
  paths.forEach(visit);
  const routes = [...views].flatMap((v) => viewJoinPaths(model, v));
  const enriched = hints.map((h) => {
    if (typeof h !== 'string') return h;
    for (const r of routes) { const i = r.indexOf(h); if (i > 0) return r.slice(0, i + 1); }
    return h;
  });
  const unique = new Map(enriched.map((h) => [typeof h === 'string' ? h : h.join('.'), h]));
  return { cubes: [...unique.values()] };
}

/** Cubes a join condition needs besides its own two ends (`{users.id} = {pairs.user_id}` on facts → pairs). */
export function joinConditionCubes(model: CompiledModel, sql: SqlTemplate, from: string, to: string): string[] {
  const out = new Set<string>();
  const seen = new Set<string>();
  const visitTemplate = (t: SqlTemplate, owner: string): void => {
    for (const p of t) {
      if (typeof p === 'string') continue;
      if (p.type === 'cube' && p.cube !== owner) out.add(p.cube);
      if (p.type === 'member') visitMember(`${p.cube}.${p.member}`);
      if (p.type === 'convertTz') visitTemplate(p.sql, owner);
    }
  };
  const visitMember = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const found = model.members.get(path);
    if (!found) return;
    const m = underlyingMember(model, found);
    out.add(m.cube);
    if (m.kind === 'dimension' && m.subQuery) return;
    for (const t of templates(m)) visitTemplate(t, m.cube);
  };
  visitTemplate(sql, from);
  out.delete(from);
  out.delete(to);
  return [...out];
}
