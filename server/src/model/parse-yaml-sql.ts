// Parses Cube's YAML SQL strings (Python f-string style: `{CUBE}.x = {users.id}`,
// `{FILTER_PARAMS.c.m.filter('col')}`, `{SECURITY_CONTEXT.k.filter(...)}`, and webcube's
// `{FILTER_PARAMS.c.m.dtFilter('dt')}` and `{EVENTS_TABLE}`) into a RawTemplate.
import type { RawFilterParams, RawPart, RawTemplate } from './raw-types.ts';

type Scope = ReadonlyMap<string, number>; // lambda parameter name → filterArg index

export function parseYamlSql(source: string, scope: Scope = new Map()): RawTemplate {
  const parts: RawPart[] = [];
  let text = '';
  let i = 0;
  while (i < source.length) {
    const ch = source[i];
    if (ch === '\\' && (source[i + 1] === '{' || source[i + 1] === '}')) { text += source[i + 1]; i += 2; continue; }
    if (ch !== '{') { text += ch; i++; continue; }
    const end = findClose(source, i);
    if (end < 0) throw new Error(`Unclosed '{' in SQL: ${source}`);
    if (text) { parts.push(text); text = ''; }
    parts.push(...parseExpr(source.slice(i + 1, end).trim(), scope));
    i = end + 1;
  }
  if (text) parts.push(text);
  return parts;
}

/** Index of the `}` closing the `{` at `open`, skipping quoted strings and nested braces. */
function findClose(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let i = open; i < s.length; i++) {
    const c = s[i];
    if (quote) { if (c === '\\') i++; else if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

class Cursor {
  pos = 0;
  constructor(readonly src: string) {}
  ws(): void { while (/\s/.test(this.src[this.pos] ?? '')) this.pos++; }
  peek(re: RegExp): RegExpMatchArray | null { this.ws(); return this.src.slice(this.pos).match(re); }
  take(re: RegExp): string | undefined { const m = this.peek(re); if (!m) return undefined; this.pos += m[0].length; return m[0]; }
  expect(token: string): void { if (this.take(new RegExp(`^${token.replace(/[().]/g, '\\$&')}`)) === undefined) this.fail(`expected '${token}'`); }
  done(): boolean { this.ws(); return this.pos >= this.src.length; }
  fail(msg: string): never { throw new Error(`Cannot parse '{${this.src}}' in SQL: ${msg}`); }
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*/;

function parseExpr(src: string, scope: Scope): RawPart[] {
  const c = new Cursor(src);
  const parts = parseConcat(c, scope);
  if (!c.done()) c.fail(`unexpected '${src.slice(c.pos)}'`);
  return parts;
}

/** term ('+' term)* where a term is a string, an f-string, a call chain or a lambda parameter. */
function parseConcat(c: Cursor, scope: Scope): RawPart[] {
  const out = parseTerm(c, scope);
  while (c.take(/^\+/)) out.push(...parseTerm(c, scope));
  return out;
}

function parseTerm(c: Cursor, scope: Scope): RawPart[] {
  const str = c.take(/^[fF]?('([^'\\]|\\.)*'|"([^"\\]|\\.)*")/);
  if (str !== undefined) {
    const isF = /^[fF]/.test(str);
    const body = str.slice(isF ? 2 : 1, -1);
    return isF ? [...parseYamlSql(body, scope)] : [body.replace(/\\(.)/g, '$1')];
  }
  const path: string[] = [];
  const first = c.take(IDENT);
  if (first === undefined) c.fail('expected a name or a string');
  if (scope.has(first) && !c.peek(/^\./)) return [{ type: 'filterArg', index: scope.get(first)! }];
  if (first === 'FILTER_GROUP' && c.peek(/^\(/)) return [filterGroup(c, scope)];
  path.push(first);
  while (c.take(/^\./)) {
    const name = c.take(IDENT);
    if (name === undefined) c.fail('expected a name after "."');
    if (c.peek(/^\(/)) return [callPart(c, path, name, scope)];
    path.push(name);
  }
  return [pathPart(path)];
}

/** `FILTER_GROUP(FILTER_PARAMS.a.x.filter(...), ...)`. */
function filterGroup(c: Cursor, scope: Scope): RawPart {
  c.expect('(');
  const filters: RawFilterParams[] = [];
  do {
    const parts = parseTerm(c, scope);
    const f = parts[0];
    if (parts.length !== 1 || typeof f === 'string' || f.type !== 'filterParams') c.fail('FILTER_GROUP takes FILTER_PARAMS.cube.member.filter(...) arguments');
    filters.push(f);
  } while (c.take(/^,/));
  c.expect(')');
  return { type: 'filterGroup', filters };
}

function pathPart(path: string[]): RawPart {
  if (path[0] === 'COMPILE_CONTEXT') return { type: 'compileContext', path: path.slice(1) };
  if (path[0] === 'SECURITY_CONTEXT') return { type: 'securityContext', path: path.slice(1), mode: 'param' };
  return { type: 'ref', path };
}

function callPart(c: Cursor, path: string[], method: string, scope: Scope): RawPart {
  c.expect('(');
  const arg = c.peek(/^\)/) ? undefined : parseArg(c, scope);
  c.expect(')');
  const [root, ...rest] = path;
  if (root === 'FILTER_PARAMS' && method === 'filter' && rest.length === 2 && arg) {
    return { type: 'filterParams', cube: rest[0], member: rest[1], ...arg };
  }
  if (root === 'FILTER_PARAMS' && method === 'dtFilter' && rest.length === 2 && arg?.column) {
    return { type: 'filterParams', cube: rest[0], member: rest[1], column: arg.column, dtFilter: true };
  }
  if (root === 'SECURITY_CONTEXT' && rest.length > 0) {
    if (method === 'unsafeValue' && !arg) return { type: 'securityContext', path: rest, mode: 'unsafe' };
    if ((method === 'filter' || method === 'requiredFilter') && arg) {
      return { type: 'securityContext', path: rest, mode: method, column: arg.column ?? arg.callback };
    }
  }
  if (method === 'sql' && rest.length <= 1 && !arg && root !== 'FILTER_PARAMS' && root !== 'SECURITY_CONTEXT' && root !== 'COMPILE_CONTEXT') {
    return { type: 'cubeSql', path };
  }
  if (root === 'SQL_UTILS' && rest.length === 0 && method === 'convertTz' && arg) {
    return { type: 'convertTz', sql: arg.column ?? arg.callback ?? [] };
  }
  c.fail(`unsupported call ${[...path, method].join('.')}()`);
}

/** A column (string / f-string / reference) or a `lambda a, b: expr` callback. */
function parseArg(c: Cursor, scope: Scope): { column?: RawTemplate; callback?: RawTemplate } {
  if (c.take(/^lambda\b/)) {
    const inner = new Map(scope);
    let index = 0;
    while (!c.take(/^:/)) {
      const name = c.take(IDENT);
      if (name === undefined) c.fail('expected lambda parameter');
      inner.set(name, index++);
      c.take(/^,/);
    }
    return { callback: parseConcat(c, inner) };
  }
  return { column: parseConcat(c, scope) };
}
