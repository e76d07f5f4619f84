// Resolves a RawTemplate's references (CUBE, own members, other cubes and their members)
// against the model's symbol table, giving the SqlTemplate the renderer consumes. `{EVENTS_TABLE}`
// becomes the configured events table's name here, as text: it is the same for every query.
import type { RawPart, RawTemplate } from './raw-types.ts';
import type { FilterParamsPart, SqlPart, SqlTemplate } from './types.ts';

/** Member names per cube (all kinds), which names are views, and what `{EVENTS_TABLE}` stands for. */
export interface SymbolTable {
  readonly members: ReadonlyMap<string, ReadonlySet<string>>;
  readonly views: ReadonlySet<string>;
  /** WEBCUBE_EVENTS_TABLE: `atomic.events`, or e.g. `hive.atomic.events` on Presto/Trino. */
  readonly eventsTable: string;
  /** COMPILE_CONTEXT for values evaluated at compile time (see compile-context.ts). */
  readonly compileContext?: Readonly<Record<string, unknown>>;
  /** A cube's own SQL (`sql`, or `SELECT * FROM sql_table`) for `{cube.sql()}`, resolved in its context. */
  readonly cubeSql?: (cube: string, from: string) => SqlTemplate;
}

/** Written `{EVENTS_TABLE}` in model SQL; like CUBE, it wins over a cube or member of that name. */
export const EVENTS_TABLE = 'EVENTS_TABLE';
/** The DuckDB view over the collector's files, and the table name the shipped DDL creates. */
export const DEFAULT_EVENTS_TABLE = 'atomic.events';

export interface ResolveContext {
  readonly symbols: SymbolTable;
  /** The cube whose SQL is being resolved (CUBE). */
  readonly cube: string;
}

/** Turns ['CUBE','x'] / ['x'] / ['users','x'] / ['users'] into a cube or member reference. */
export function resolveRef(path: readonly string[], ctx: ResolveContext, preferMember = false): { cube: string; member?: string } {
  const { symbols } = ctx;
  const [head, ...rest] = path;
  const own = symbols.members.get(ctx.cube);
  let cube: string;
  let member: string | undefined;
  // Like Cube's resolveSymbol, a cube name wins over a member of the same name.
  if (head === 'CUBE' || head === 'TABLE') { cube = ctx.cube; member = rest[0]; }
  else if (rest.length === 0 && (preferMember || !symbols.members.has(head)) && own?.has(head)) { cube = ctx.cube; member = head; }
  else { cube = head; member = rest[0]; }
  if (rest.length > 1) throw new Error(`Invalid reference '${path.join('.')}': expected cube.member`);
  const members = symbols.members.get(cube);
  if (!members) {
    throw new Error(rest.length === 0 && head !== 'CUBE'
      ? `'${head}' is neither a member of '${ctx.cube}' nor a cube`
      : `Unknown cube '${cube}' in reference '${path.join('.')}'`);
  }
  if (member !== undefined && !members.has(member)) {
    throw new Error(`Unknown member '${cube}.${member}' in reference '${path.join('.')}'`);
  }
  return { cube, member };
}

/** Full `cube.member` path of a member reference (lists such as drill_members). */
export function resolveMemberPath(path: readonly string[], ctx: ResolveContext): string {
  // A member list can only mean members, so here an own member wins over a cube of that name.
  const ref = resolveRef(path, ctx, true);
  if (ref.member === undefined) throw new Error(`'${path.join('.')}' is a cube, expected a member`);
  return `${ref.cube}.${ref.member}`;
}

/**
 * A member list entry that may be a join path (Cube's joinHintFromPath): `orders.users.city`
 * is `users.city` reached over the joins orders → users. `joinPath` only for paths.
 */
export function resolveJoinPathMember(path: readonly string[], ctx: ResolveContext): { member: string; joinPath?: string[] } {
  if (path.length <= 2) return { member: resolveMemberPath(path, ctx) };
  const joinPath = path.slice(0, -1).map((c, i) => (i === 0 && (c === 'CUBE' || c === 'TABLE') ? ctx.cube : c));
  for (const c of joinPath) {
    if (!ctx.symbols.members.has(c) || ctx.symbols.views.has(c)) throw new Error(`Invalid join path '${path.join('.')}': '${c}' is not a cube`);
  }
  return { member: resolveMemberPath(path.slice(-2), ctx), joinPath };
}

export function resolveTemplate(raw: RawTemplate, ctx: ResolveContext): SqlTemplate {
  const expanded = expandCubeSql(raw, ctx);
  return expanded === raw ? raw.map((part) => resolvePart(part, ctx)) : expanded as SqlTemplate;
}

/** `{created_at.month}` / `{CUBE.created_at.month}` / `{orders.created_at.month}`, else undefined. */
function granularityRef(path: readonly string[], ctx: ResolveContext): SqlPart | undefined {
  const { members } = ctx.symbols;
  let cube: string; let member: string; let granularity: string;
  if (path.length === 3) [cube, member, granularity] = [path[0] === 'CUBE' ? ctx.cube : path[0], path[1], path[2]];
  else if (path.length === 2 && path[0] !== 'CUBE' && !members.has(path[0]) && members.get(ctx.cube)?.has(path[0])) [cube, member, granularity] = [ctx.cube, path[0], path[1]];
  else return undefined;
  if (!members.get(cube)?.has(member)) throw new Error(`Unknown member '${cube}.${member}' in reference '${path.join('.')}'`);
  return { type: 'member', cube, member, granularity };
}

function callbackOf(raw: (v: string | readonly string[]) => RawTemplate, ctx: ResolveContext) {
  return (values: string | readonly string[]): SqlTemplate => resolveTemplate(raw(values), ctx);
}

function resolvePart(part: RawPart, ctx: ResolveContext): SqlPart {
  if (typeof part === 'string') return part;
  switch (part.type) {
    case 'ref': {
      if (part.path.length === 1 && part.path[0] === EVENTS_TABLE) return ctx.symbols.eventsTable;
      const withGranularity = granularityRef(part.path, ctx);
      if (withGranularity) return withGranularity;
      const ref = resolveRef(part.path, ctx);
      // A view's own (multi-stage) members may refer to its other members.
      if (ctx.symbols.views.has(ref.cube) && !(ref.cube === ctx.cube && ref.member !== undefined)) throw new Error(`SQL cannot reference view '${ref.cube}'; reference its cubes`);
      return ref.member === undefined ? { type: 'cube', cube: ref.cube } : { type: 'member', cube: ref.cube, member: ref.member };
    }
    case 'filterParams': {
      const members = ctx.symbols.members.get(part.cube);
      if (!members?.has(part.member)) throw new Error(`FILTER_PARAMS refers to unknown member '${part.cube}.${part.member}'`);
      return {
        type: 'filterParams', cube: part.cube, member: part.member,
        ...(part.column ? { column: resolveTemplate(part.column, ctx) } : {}),
        ...(part.callback ? { callback: resolveTemplate(part.callback, ctx) } : {}),
        ...(part.dtFilter ? { dtFilter: true } : {}),
      };
    }
    case 'securityContext':
      return {
        type: 'securityContext', path: part.path, mode: part.mode,
        ...(part.column ? { column: resolveTemplate(part.column, ctx) } : {}),
        ...(part.callback ? { callback: callbackOf(part.callback, ctx) } : {}),
      };
    case 'convertTz':
      return { type: 'convertTz', sql: resolveTemplate(part.sql, ctx) };
    case 'filterGroup':
      return { type: 'filterGroup', filters: part.filters.map((f) => resolvePart(f, ctx) as FilterParamsPart) };
    case 'cubeSql':
      throw new Error('cube.sql() cannot be used here');
    default:
      return part;
  }
}

/** resolveTemplate, with `{cube.sql()}` inlined as `(that SQL)`. */
function expandCubeSql(raw: RawTemplate, ctx: ResolveContext): RawTemplate | SqlPart[] {
  if (!raw.some((p) => typeof p !== 'string' && p.type === 'cubeSql')) return raw;
  const out: SqlPart[] = [];
  for (const part of raw) {
    if (typeof part === 'string' || part.type !== 'cubeSql') { out.push(resolvePart(part, ctx)); continue; }
    const cube = part.path[0] === 'CUBE' ? ctx.cube : part.path[0];
    if (part.path.length > 1 || !ctx.symbols.members.has(cube)) throw new Error(`Unknown cube '${part.path.join('.')}' in ${part.path.join('.')}.sql()`);
    if (ctx.symbols.views.has(cube)) throw new Error(`View '${cube}' has no SQL of its own for ${cube}.sql()`);
    if (!ctx.symbols.cubeSql) throw new Error(`${cube}.sql() cannot be used here`);
    out.push(...ctx.symbols.cubeSql(cube, ctx.cube));
  }
  return out;
}
