// Compiles a view: each included cube member becomes a proxy member (`sql: {path.member}`)
// carrying its original and the join path, as Cube's CubeSymbols.prepareIncludes does.
import type { ErrorReporter } from './error-reporter.ts';
import type { MergedDefinition } from './merge-extends.ts';
import { optFormat, optMeta, optString } from './member-props.ts';
import { isRecord } from './normalize-props.ts';
import type { Cube, Join, Member } from './types.ts';

export interface ViewContext {
  readonly cubes: ReadonlyMap<string, Cube>;
  readonly joinsFrom: ReadonlyMap<string, readonly Join[]>;
  readonly reporter: ErrorReporter;
}

export interface ViewMembers {
  readonly members: Member[];
  /** First cube of the first join path, for the connected component. */
  readonly root?: string;
}

interface Include { name: string; alias?: string; title?: string; description?: string; format?: unknown; meta?: unknown }

export function compileViewMembers(view: MergedDefinition, ctx: ViewContext): ViewMembers {
  const { reporter } = ctx;
  const members: Member[] = [];
  let root: string | undefined;
  const seen = new Map<string, string>();
  const entries = [...view.sections.cubes];
  const legacy = view.props.includes;
  for (const item of entries) {
    const at = ['cubes', item.name];
    const err = (message: string): void => reporter.report(item.origin, at, message, `${view.def.name}.cubes.${item.name}`);
    const p = item.props;
    const path = item.name.split('.');
    root ??= path[0];
    const bad = checkPath(path, ctx);
    if (bad) { err(bad); continue; }
    const target = ctx.cubes.get(path[path.length - 1])!;
    let includes: Include[];
    try {
      includes = p.includes === '*' || p.includes === undefined ? allMembers(target) : parseIncludes(p.includes);
      // Like Cube, excludes naming no member of the cube are ignored.
      const excludes = p.excludes === undefined ? [] : parseIncludes(p.excludes).map((x) => x.name);
      includes = includes.filter((x) => !excludes.includes(x.name));
    } catch (e) { err((e as Error).message); continue; }
    const prefix = p.prefix === true ? `${typeof p.alias === 'string' ? p.alias : target.name}_` : '';
    for (const inc of includes) {
      const name = `${prefix}${inc.alias ?? inc.name}`;
      if (inc.name.includes('.')) { err(`Paths aren't allowed in cube includes but '${inc.name}' provided as include member`); continue; }
      const orig = memberOf(target, inc.name);
      if (!orig) { err(`Member '${name}' is included in '${view.def.name}' but not defined in any cube ('${target.name}' has no member '${inc.name}')`); continue; }
      const clash = seen.get(name);
      if (clash) { err(`Included member '${name}' conflicts with existing member of '${view.def.name}' (${clash}). Please consider excluding this member or assigning it an alias.`); continue; }
      seen.set(name, orig.path);
      try {
        members.push(proxyMember(view.def.name, name, orig, path, inc, { file: item.origin.file, line: item.origin.lineOf(at) }));
      } catch (e) { err((e as Error).message); }
    }
  }
  if (legacy !== undefined) {
    // Pre-1.3 views: top-level `includes: [orders.count, users.city]`.
    try {
      for (const ref of legacy.origin.reader.refs(legacy.value)) {
        // `orders.users.city`: users.city reached over the join path orders → users.
        const joinPath = ref.slice(0, -1);
        const [cubeName, memberName] = ref.slice(-2);
        const cube = ctx.cubes.get(cubeName);
        const orig = cube && memberName && ref.length >= 2 ? memberOf(cube, memberName) : undefined;
        if (!orig) throw new Error(`Unknown member '${ref.join('.')}' in includes`);
        const bad = checkPath(joinPath, ctx);
        if (bad) throw new Error(bad);
        if (seen.has(orig.name)) throw new Error(`Included member '${orig.name}' conflicts with '${seen.get(orig.name)}' in view '${view.def.name}'`);
        seen.set(orig.name, orig.path);
        root ??= joinPath[0];
        members.push(proxyMember(view.def.name, orig.name, orig, joinPath, { name: orig.name }, { file: view.def.file, line: view.def.lineOf(['includes']) }));
      }
    } catch (e) { reporter.report(view.def, ['includes'], (e as Error).message); }
  }
  // Drill members point at the view's own copies where the view includes them.
  const byOrig = new Map(members.map((m) => [m.aliasOf!.member, m.path]));
  const remapped = members.map((m) => m.kind === 'measure'
    ? { ...m, drillMembers: m.drillMembers.flatMap((d) => byOrig.get(d) ?? []) }
    : m);
  return { members: remapped, root };
}

function checkPath(path: readonly string[], ctx: ViewContext): string | undefined {
  for (let i = 0; i < path.length; i++) {
    const cube = ctx.cubes.get(path[i]);
    if (!cube || cube.kind !== 'cube') return `Invalid join_path '${path.join('.')}': unknown cube '${path[i]}'`;
    if (i > 0 && !(ctx.joinsFrom.get(path[i - 1]) ?? []).some((j) => j.to === path[i])) {
      return `Invalid join_path '${path.join('.')}': cube '${path[i - 1]}' has no join to '${path[i]}'`;
    }
  }
  return undefined;
}

const memberOf = (cube: Cube, name: string): Member | undefined =>
  cube.measures.get(name) ?? cube.dimensions.get(name) ?? cube.segments.get(name);

const allMembers = (cube: Cube): Include[] =>
  [...cube.measures.keys(), ...cube.dimensions.keys(), ...cube.segments.keys()].map((name) => ({ name }));

function parseIncludes(value: unknown): Include[] {
  if (!Array.isArray(value)) throw new Error(`'includes' must be "*" or a list`);
  return value.map((v): Include => {
    if (typeof v === 'string') return { name: v };
    if (isRecord(v) && typeof v.name === 'string') {
      return {
        name: v.name, alias: optString(v.alias, 'alias'), title: optString(v.title, 'title'),
        description: optString(v.description, 'description'), format: v.format, meta: v.meta,
      };
    }
    throw new Error(`each include must be a member name or {name, alias}`);
  });
}

function proxyMember(
  view: string, name: string, orig: Member, joinPath: readonly string[], inc: Include,
  location: { file: string; line: number },
): Member {
  const overrides = {
    title: inc.title ?? orig.title,
    description: inc.description ?? orig.description,
    meta: inc.meta === undefined ? orig.meta : optMeta(inc.meta),
  };
  const common = {
    // Cube does not carry `public` or `primary_key` into views: included members are visible.
    ...overrides, name, cube: view, path: `${view}.${name}`, public: true, location,
    aliasOf: { member: orig.path, joinPath },
  };
  const sql = [{ type: 'member' as const, cube: orig.cube, member: orig.name }];
  const format = inc.format === undefined ? undefined : optFormat(inc.format);
  if (orig.kind === 'measure') {
    const { rollingWindow: _rw, ...rest } = orig;
    return { ...rest, ...common, sql, format: format ?? orig.format, cumulative: false };
  }
  if (orig.kind === 'dimension') {
    const { case: _case, latitude, longitude, ...rest } = orig;
    const source = orig.type === 'geo' ? { latitude, longitude } : { sql };
    return { ...rest, ...common, ...source, format: format ?? orig.format, primaryKey: false };
  }
  return { ...orig, ...common, sql };
}
