// Cube filter operators → SQL predicates (BaseFilter semantics): values always bound, date
// bounds converted from the query's time zone to UTC, number members compared as numbers,
// case-insensitive matching for contains/startsWith/endsWith, measures into HAVING.
import { UserError } from '../errors.ts';
import type { Dimension, Measure } from '../model/types.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import { localToUtc } from '../query/time-zone.ts';
import { isMemberFilter, type MemberFilter, type NormalizedFilter } from '../query/types.ts';
import { expandTemplate } from './expand-template.ts';
import type { RenderContext } from './render-context.ts';
import { dimensionSql, measureAggregate } from './render-members.ts';

function escapeLike(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}

function memberKind(ctx: RenderContext, f: NormalizedFilter): 'where' | 'having' {
  if (isMemberFilter(f)) {
    const m = resolveMember(ctx.model, f.member);
    return m.kind === 'measure' && f.operator !== 'measureFilter' ? 'having' : 'where';
  }
  const kids = 'and' in f ? f.and : f.or;
  const kinds = new Set(kids.map((k) => memberKind(ctx, k)));
  if (kinds.size > 1) throw new UserError('You cannot use dimension and measure in same condition');
  return kinds.values().next().value ?? 'where';
}

/** Splits top-level (AND-ed) filters into WHERE and HAVING parts, as Cube does. */
export function splitFilters(ctx: RenderContext, filters: readonly NormalizedFilter[]): { where: NormalizedFilter[]; having: NormalizedFilter[] } {
  const where: NormalizedFilter[] = [], having: NormalizedFilter[] = [];
  for (const f of filters) {
    if (!isMemberFilter(f) && 'and' in f) {
      const inner = splitFilters(ctx, f.and);
      where.push(...inner.where); having.push(...inner.having);
    } else (memberKind(ctx, f) === 'having' ? having : where).push(f);
  }
  return { where, having };
}

export function renderFilterTree(ctx: RenderContext, f: NormalizedFilter): string {
  if (isMemberFilter(f)) return renderMemberFilter(ctx, f);
  const kids = ('and' in f ? f.and : f.or).map((k) => renderFilterTree(ctx, k));
  if (kids.length === 0) return '1 = 1';
  return `(${kids.join('and' in f ? ' AND ' : ' OR ')})`;
}

function memberColumn(ctx: RenderContext, m: Dimension | Measure): string {
  return m.kind === 'measure' ? measureAggregate(ctx, m) : dimensionSql(ctx, m);
}

/** A member's SQL as one operand: `a = b AND c = d` compared with `= ?` needs its own parentheses. */
function asOperand(sql: string): string {
  return /^[\w."`$]+$/.test(sql) || /^\w+\([^()]*\)$/.test(sql) ? sql : `(${sql})`;
}

function renderMemberFilter(ctx: RenderContext, f: MemberFilter): string {
  const member = underlyingMember(ctx.model, resolveMember(ctx.model, f.member));
  if (member.kind === 'segment') throw new UserError(`'${f.member}' is a segment`);
  if (f.operator === 'measureFilter') {
    const m = member as Measure;
    return m.filters.length ? `(${m.filters.map((t) => `(${expandTemplate(ctx, t)})`).join(' AND ')})` : '1 = 1';
  }
  const col = ctx.measureRefs?.get(f.member) ?? asOperand(memberColumn(ctx, member));
  return predicate(ctx, col, member, f.operator, f.values);
}

/** A predicate on `col` for one operator; exported for FILTER_PARAMS. */
export function predicate(ctx: RenderContext, col: string, member: Dimension | Measure, op: MemberFilter['operator'], values: readonly (string | null)[]): string {
  const d = ctx.dialect;
  const isTime = member.type === 'time';
  const isNumber = member.kind === 'measure' ? !['string', 'boolean', 'time'].includes(member.type) : member.type === 'number';
  const bind = (v: string): string => {
    if (isTime) return d.timestampParam(ctx.params.add(localToUtc(v, ctx.query.timezone)));
    if (isNumber) return d.numberParam(ctx.params.add(v));
    if (member.type === 'boolean') return ctx.params.add(v === 'true' || v === '1');
    return ctx.params.add(v);
  };
  const nonNull = values.filter((v): v is string => v !== null);
  const hasNull = nonNull.length !== values.length;
  const like = (pattern: (v: string) => string, negate: boolean) => nonNull.map((v) => {
    const p = pattern(escapeLike(d.supportsIlike ? v : v.toLowerCase()));
    return d.likeInsensitive(col, ctx.params.add(p), negate);
  });
  switch (op) {
    case 'equals': case 'in': {
      const parts: string[] = [];
      if (nonNull.length === 1) parts.push(`${col} = ${bind(nonNull[0])}`);
      else if (nonNull.length > 1) parts.push(`${col} IN (${nonNull.map(bind).join(', ')})`);
      if (hasNull) parts.push(`${col} IS NULL`);
      return parts.length === 1 ? parts[0] : `(${parts.join(' OR ')})`;
    }
    case 'notEquals': case 'notIn': {
      const cond = nonNull.length === 1 ? `${col} <> ${bind(nonNull[0])}` : nonNull.length > 1 ? `${col} NOT IN (${nonNull.map(bind).join(', ')})` : '';
      if (hasNull) return cond ? `(${cond} AND ${col} IS NOT NULL)` : `${col} IS NOT NULL`;
      return `(${cond} OR ${col} IS NULL)`;
    }
    case 'contains': return `(${like((v) => `%${v}%`, false).join(' OR ')})`;
    case 'startsWith': return `(${like((v) => `${v}%`, false).join(' OR ')})`;
    case 'endsWith': return `(${like((v) => `%${v}`, false).join(' OR ')})`;
    case 'notContains': return `((${like((v) => `%${v}%`, true).join(' AND ')}) OR ${col} IS NULL)`;
    case 'notStartsWith': return `((${like((v) => `${v}%`, true).join(' AND ')}) OR ${col} IS NULL)`;
    case 'notEndsWith': return `((${like((v) => `%${v}`, true).join(' AND ')}) OR ${col} IS NULL)`;
    case 'gt': return `${col} > ${bind(nonNull[0])}`;
    case 'gte': return `${col} >= ${bind(nonNull[0])}`;
    case 'lt': return `${col} < ${bind(nonNull[0])}`;
    case 'lte': return `${col} <= ${bind(nonNull[0])}`;
    case 'set': return `${col} IS NOT NULL`;
    case 'notSet': return `${col} IS NULL`;
    case 'inDateRange': case 'onTheDate': return `(${col} >= ${bind(nonNull[0])} AND ${col} <= ${bind(nonNull[1] ?? nonNull[0])})`;
    case 'notInDateRange': return `(${col} < ${bind(nonNull[0])} OR ${col} > ${bind(nonNull[1] ?? nonNull[0])})`;
    case 'beforeDate': return `${col} < ${bind(nonNull[0])}`;
    case 'beforeOrOnDate': return `${col} <= ${bind(nonNull[0])}`;
    case 'afterDate': return `${col} > ${bind(nonNull[0])}`;
    case 'afterOrOnDate': return `${col} >= ${bind(nonNull[0])}`;
    case 'measureFilter': return '1 = 1';
  }
}
