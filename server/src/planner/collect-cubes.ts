// Finds every cube a query needs joined: the cubes of its members, plus cubes their SQL
// references (`{users.city}` inside an orders dimension pulls users into the join), and the
// join hints views carry (a view member's join_path).
import type { CompiledModel, Member, SqlTemplate } from '../model/types.ts';
import { underlyingMember } from '../query/resolve-member.ts';

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

export function collectCubes(model: CompiledModel, paths: readonly string[]): { cubes: string[]; hints: string[][] } {
  const cubes = new Set<string>();
  const hints: string[][] = [];
  const seen = new Set<string>();
  const visitTemplate = (t: SqlTemplate, owner: string): void => {
    for (const p of t) {
      if (typeof p === 'string') continue;
      if (p.type === 'cube' && p.cube !== owner) cubes.add(p.cube);
      if (p.type === 'member') visit(`${p.cube}.${p.member}`);
      if (p.type === 'convertTz') visitTemplate(p.sql, owner);
    }
  };
  const visit = (path: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const found = model.members.get(path);
    if (!found) return;
    if (found.aliasOf && found.aliasOf.joinPath.length > 1) hints.push([...found.aliasOf.joinPath]);
    const m = underlyingMember(model, found);
    // A measure used from another cube's calculated member does not join its cube by itself (Cube).
    cubes.add(m.cube);
    // A sub_query dimension brings its own aggregated sub-select; its references are not joined here.
    if (m.kind === 'dimension' && m.subQuery) return;
    for (const t of templates(m)) visitTemplate(t, m.cube);
  };
  paths.forEach(visit);
  return { cubes: [...cubes], hints };
}
