// Stand-ins for identifiers in JS model files (cube names, members, CUBE, FILTER_PARAMS,
// SECURITY_CONTEXT...). They stringify to markers, so plain template literals and
// `sql: () => ...` functions both yield strings we can split back into RawTemplates, without
// Babel rewriting the source the way Cube does.
import type { RawPart, RawTemplate } from './raw-types.ts';

const REF = Symbol('webcube.modelRef');
const MARKER = /\u0001(\d+)\u0002/g;

export class MarkerRegistry {
  private readonly parts: RawPart[] = [];

  mark(part: RawPart): string {
    this.parts.push(part);
    return `\u0001${this.parts.length - 1}\u0002`;
  }

  /** Splits a string produced with markers back into a template. */
  parse(text: string): RawTemplate {
    const out: RawPart[] = [];
    let last = 0;
    for (const m of text.matchAll(MARKER)) {
      if (m.index > last) out.push(text.slice(last, m.index));
      out.push(this.parts[Number(m[1])]);
      last = m.index + m[0].length;
    }
    if (last < text.length) out.push(text.slice(last));
    return out;
  }

  /** Template for a JS value: string, reference, number, or a function returning one. */
  template(value: unknown): RawTemplate {
    if (typeof value === 'function') return this.template((value as () => unknown)());
    if (typeof value === 'string') return this.parse(value);
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    if (refPath(value)) return this.parse(String(value));
    throw new Error('expected an SQL string or a function returning one');
  }

  private arg(value: unknown, arity: number): { column?: RawTemplate; callback?: RawTemplate } {
    if (typeof value === 'function') {
      const args = Array.from({ length: Math.max(arity, (value as () => unknown).length) }, (_, index) =>
        this.mark({ type: 'filterArg', index }));
      return { callback: this.template((value as (...a: string[]) => unknown)(...args)) };
    }
    return { column: this.template(value) };
  }

  /**
   * A model callback run at query time (SECURITY_CONTEXT filter callbacks get the query's
   * placeholders). Markers it makes are dropped again once parsed, so queries don't grow the registry.
   */
  private deferred(fn: (values: unknown) => unknown): (values: string | readonly string[]) => RawTemplate {
    return (values) => {
      const mark = this.parts.length;
      try {
        return this.template(fn(Array.isArray(values) ? [...values] : values));
      } finally {
        this.parts.length = mark;
      }
    };
  }

  /** `FILTER_GROUP(FILTER_PARAMS.a.x.filter(...), ...)`: the marked FILTER_PARAMS, as one part. */
  filterGroup(args: readonly unknown[]): string {
    const filters = args.map((a) => {
      const parts = typeof a === 'string' ? this.parse(a) : [];
      const f = parts[0];
      if (parts.length !== 1 || typeof f === 'string' || f.type !== 'filterParams') throw new Error('FILTER_GROUP takes FILTER_PARAMS.cube.member.filter(...) arguments');
      return f;
    });
    return this.mark({ type: 'filterGroup', filters });
  }

  /** A proxy standing for the identifier path (e.g. ['users','city']). */
  ref(path: readonly string[]): unknown {
    const toPart = (): RawPart => {
      if (path[0] === 'COMPILE_CONTEXT') return { type: 'compileContext', path: path.slice(1) };
      if (path[0] === 'SECURITY_CONTEXT') return { type: 'securityContext', path: path.slice(1), mode: 'param' };
      return { type: 'ref', path };
    };
    const [root, ...rest] = path;
    return new Proxy({}, {
      get: (_t, prop) => {
        if (prop === REF) return path;
        if (prop === Symbol.toPrimitive || prop === 'toString' || prop === 'valueOf') return () => this.mark(toPart());
        if (typeof prop === 'symbol' || prop === 'then' || prop === 'toJSON' || prop === 'constructor') return undefined;
        if (root === 'FILTER_PARAMS' && rest.length === 2 && prop === 'filter') {
          return (arg: unknown) => this.mark({ type: 'filterParams', cube: rest[0], member: rest[1], ...this.arg(arg, 2) });
        }
        if (root === 'FILTER_PARAMS' && rest.length === 2 && prop === 'dtFilter') {
          return (column: unknown) => this.mark({ type: 'filterParams', cube: rest[0], member: rest[1], column: this.template(column), dtFilter: true });
        }
        if (root === 'SECURITY_CONTEXT' && rest.length > 0) {
          if (prop === 'unsafeValue') return () => this.mark({ type: 'securityContext', path: rest, mode: 'unsafe' });
          if (prop === 'filter' || prop === 'requiredFilter') {
            return (arg: unknown) => (typeof arg === 'function'
              ? this.mark({ type: 'securityContext', path: rest, mode: prop, callback: this.deferred(arg as (v: unknown) => unknown) })
              : this.mark({ type: 'securityContext', path: rest, mode: prop, column: this.template(arg) }));
          }
        }
        if (prop === 'sql' && path.length <= 2 && !['FILTER_PARAMS', 'SECURITY_CONTEXT', 'COMPILE_CONTEXT', 'SQL_UTILS'].includes(root)) {
          // `${users.sql()}` is that cube's SQL; `${users.sql}` stays a reference to a member `sql`.
          const call = (): string => this.mark({ type: 'cubeSql', path });
          const asMember = (): string => this.mark({ type: 'ref', path: [...path, 'sql'] });
          return Object.assign(call, { [Symbol.toPrimitive]: asMember, toString: asMember, [REF]: [...path, 'sql'] });
        }
        if (root === 'SQL_UTILS' && rest.length === 0 && prop === 'convertTz') {
          return (sql: unknown) => this.mark({ type: 'convertTz', sql: this.template(sql) });
        }
        return this.ref([...path, prop]);
      },
      has: (_t, prop) => prop === REF,
    });
  }
}

/** The identifier path behind a reference proxy, or undefined for any other value. */
export function refPath(value: unknown): readonly string[] | undefined {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return undefined;
  try {
    return REF in (value as object) ? ((value as Record<symbol, readonly string[]>)[REF]) : undefined;
  } catch {
    return undefined;
  }
}
