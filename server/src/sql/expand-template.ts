// Expands a model SqlTemplate (see model/types.ts) into SQL for one query and dialect: cube
// aliases, member SQL (recursively; measures referenced from calculated measures expand to
// their aggregate), FILTER_PARAMS, SECURITY_CONTEXT as bound parameters, convertTz. Members and
// FILTER_PARAMS are rendered through ctx.renderers: those modules import this one.
import { UserError } from '../errors.ts';
import type { SqlTemplate, SecurityContextPart } from '../model/types.ts';
import { compileContextOf } from '../model/compile-context.ts';
import { underlyingMember } from '../query/resolve-member.ts';
import { cubeAlias, type ExpandScope, type RenderContext } from './render-context.ts';

function contextValue(root: unknown, path: readonly string[]): unknown {
  let v: unknown = root;
  for (const key of path) v = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
  return v;
}

function securityContextSql(ctx: RenderContext, part: SecurityContextPart, scope: ExpandScope): string {
  const value = contextValue(ctx.securityContext, part.path);
  const name = `SECURITY_CONTEXT.${part.path.join('.')}`;
  switch (part.mode) {
    case 'param': return ctx.params.add(value ?? null);
    case 'unsafe': return value === undefined || value === null ? '' : String(value);
    case 'filter':
    case 'requiredFilter': {
      if (value === undefined || value === null) {
        if (part.mode === 'requiredFilter') throw new UserError(`Filter for ${name} is required`);
        return '1 = 1';
      }
      const values = Array.isArray(value) ? value : [value];
      if (part.callback) {
        // Cube hands the callback the bound placeholders, never the values themselves.
        const placeholders = Array.isArray(value) ? values.map((v) => ctx.params.add(v)) : ctx.params.add(value);
        let sql: SqlTemplate;
        try {
          sql = part.callback(placeholders);
        } catch (e) {
          throw new UserError(`${name}.${part.mode}() callback failed: ${(e as Error).message}`);
        }
        return expandTemplate(ctx, sql, scope);
      }
      const column = expandTemplate(ctx, part.column ?? [], scope);
      return values.length === 1
        ? `${column} = ${ctx.params.add(values[0])}`
        : `${column} IN (${values.map((v) => ctx.params.add(v)).join(', ')})`;
    }
  }
}

export function expandTemplate(ctx: RenderContext, template: SqlTemplate, scope: ExpandScope = {}): string {
  const depth = (scope.depth ?? 0) + 1;
  if (depth > 32) throw new UserError('Member SQL references itself (circular reference)');
  let out = '';
  for (const part of template) {
    if (typeof part === 'string') { out += part; continue; }
    switch (part.type) {
      case 'cube': out += cubeAlias(ctx, part.cube); break;
      case 'member': {
        const found = ctx.model.members.get(`${part.cube}.${part.member}`);
        if (!found) throw new UserError(`'${part.cube}.${part.member}' not found for path '${part.cube}.${part.member}'`);
        const member = underlyingMember(ctx.model, found);
        if (part.granularity !== undefined) {
          if (member.kind !== 'dimension' || member.type !== 'time') throw new UserError(`'${member.path}.${part.granularity}': only time dimensions have granularities`);
          out += ctx.renderers.timeDimension(ctx, member, part.granularity);
        } else if (member.kind === 'dimension') out += ctx.renderers.dimension(ctx, member, { ...scope, depth });
        else if (member.kind === 'measure') out += ctx.renderers.measure(ctx, member, { ...scope, depth });
        else out += `(${expandTemplate(ctx, member.sql, { ...scope, depth })})`;
        break;
      }
      case 'filterParams': out += ctx.renderers.filterParams(ctx, part, { ...scope, depth }); break;
      case 'filterGroup': out += `(${part.filters.map((f) => ctx.renderers.filterParams(ctx, f, { ...scope, depth })).join(') AND (')})`; break;
      case 'filterArg': out += scope.args?.[part.index] ?? 'NULL'; break;
      case 'securityContext': out += securityContextSql(ctx, part, { ...scope, depth }); break;
      case 'compileContext': {
        const v = contextValue(compileContextOf(ctx.securityContext), part.path);
        out += v === undefined || v === null ? '' : String(v);
        break;
      }
      case 'convertTz': out += ctx.dialect.convertTz(expandTemplate(ctx, part.sql, { ...scope, depth }), ctx.query.timezone); break;
    }
  }
  return out;
}
