// Expands a SqlTemplate into SQL text; the query engineer supplies the per-query, per-dialect
// meaning of each placeholder through a TemplateResolver.
import type {
  CubeRefPart, FilterParamsPart, MemberRefPart, SecurityContextPart, SqlTemplate,
} from './types.ts';

export interface TemplateResolver {
  /** Alias of the cube in the FROM clause (quoted for the dialect). */
  cube(part: CubeRefPart): string;
  /** The member's SQL, expanded (the resolver recurses through renderTemplate itself). */
  member(part: MemberRefPart): string;
  /**
   * The query's filters on part.cube.member as SQL. `render` expands part.column or
   * part.callback; pass the filter's parameter placeholders as `args` for filterArg parts.
   */
  filterParams(part: FilterParamsPart, render: (t: SqlTemplate, args?: readonly string[]) => string): string;
  securityContext(part: SecurityContextPart, render: (t: SqlTemplate, args?: readonly string[]) => string): string;
  /** Inlined value of COMPILE_CONTEXT at path. */
  compileContext(path: readonly string[]): string;
  /** Converts an already rendered UTC timestamp expression to the query time zone. */
  convertTz(sql: string): string;
}

export function renderTemplate(
  template: SqlTemplate,
  resolver: TemplateResolver,
  args: readonly string[] = [],
): string {
  const render = (t: SqlTemplate, a: readonly string[] = args): string => renderTemplate(t, resolver, a);
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') { out += part; continue; }
    switch (part.type) {
      case 'cube': out += resolver.cube(part); break;
      case 'member': out += resolver.member(part); break;
      case 'filterParams': out += resolver.filterParams(part, render); break;
      case 'filterArg': {
        const arg = args[part.index];
        if (arg === undefined) throw new Error(`filter callback argument ${part.index} is not available`);
        out += arg;
        break;
      }
      case 'securityContext': out += resolver.securityContext(part, render); break;
      case 'compileContext': out += resolver.compileContext(part.path); break;
      case 'convertTz': out += resolver.convertTz(render(part.sql)); break;
      case 'filterGroup': out += `(${part.filters.map((f) => resolver.filterParams(f, render)).join(') AND (')})`; break;
    }
  }
  return out;
}

/** Every member and cube a template refers to, nested parts included (for join planning). */
export function templateRefs(template: SqlTemplate): { cubes: string[]; members: MemberRefPart[] } {
  const cubes = new Set<string>();
  const members: MemberRefPart[] = [];
  const walk = (t: SqlTemplate): void => {
    for (const part of t) {
      if (typeof part === 'string') continue;
      if (part.type === 'cube') cubes.add(part.cube);
      else if (part.type === 'member') { cubes.add(part.cube); members.push(part); }
      else if (part.type === 'filterParams') { if (part.column) walk(part.column); if (part.callback) walk(part.callback); }
      else if (part.type === 'securityContext' && part.column) walk(part.column);
      else if (part.type === 'convertTz') walk(part.sql);
      else if (part.type === 'filterGroup') walk(part.filters);
    }
  };
  walk(template);
  return { cubes: [...cubes], members };
}
