// FILTER_PARAMS.cube.member.filter(column | callback): the query's filters on that member
// (and a time dimension's dateRange, as Cube treats it as inDateRange) pushed into the cube's
// own SQL, e.g. for partition pruning on `dt` (`.dtFilter`: render-dt-filter.ts). `1 = 1` when
// the query has none.
import { UserError } from '../errors.ts';
import type { Dimension, FilterParamsPart, Measure } from '../model/types.ts';
import { underlyingMember } from '../query/resolve-member.ts';
import { localToUtc } from '../query/time-zone.ts';
import { isMemberFilter, type MemberFilter, type NormalizedFilter } from '../query/types.ts';
import { expandTemplate } from './expand-template.ts';
import type { ExpandScope, RenderContext } from './render-context.ts';
import { renderDtFilter } from './render-dt-filter.ts';
import { predicate } from './render-filters.ts';

function targetOf(ctx: RenderContext, path: string): string {
  const m = ctx.model.members.get(path);
  return m ? underlyingMember(ctx.model, m).path : path;
}

/** Filters that must hold for every row: top-level ones and those inside AND groups. */
function andedFilters(filters: readonly NormalizedFilter[]): MemberFilter[] {
  return filters.flatMap((f) => (isMemberFilter(f) ? [f] : 'and' in f ? andedFilters(f.and) : []));
}

export function renderFilterParams(ctx: RenderContext, part: FilterParamsPart, scope: ExpandScope): string {
  const path = `${part.cube}.${part.member}`;
  const target = targetOf(ctx, path);
  const matches: MemberFilter[] = andedFilters(ctx.query.filters).filter((f) => targetOf(ctx, f.member) === target && f.operator !== 'measureFilter');
  for (const td of ctx.query.timeDimensions) {
    if (td.dateRange && targetOf(ctx, td.dimension) === target) matches.push({ member: td.dimension, operator: 'inDateRange', values: td.dateRange });
  }
  const member = ctx.model.members.get(target) as Dimension | Measure | undefined;
  if (part.dtFilter) {
    if (member?.kind !== 'dimension' || member.type !== 'time') throw new UserError(`FILTER_PARAMS.${path}.dtFilter(): '${path}' is not a time dimension`);
    return renderDtFilter(ctx, expandTemplate(ctx, part.column ?? [], scope), matches);
  }
  if (matches.length === 0) return '1 = 1';
  if (!member || member.kind === 'segment' as string) return '1 = 1';
  const conds = matches.map((f) => {
    if (part.callback) {
      const args = f.values.map((v) => (v === null ? 'NULL'
        : member.type === 'time' ? ctx.dialect.timestampParam(ctx.params.add(localToUtc(v, ctx.query.timezone))) : ctx.params.add(v)));
      return expandTemplate(ctx, part.callback, { ...scope, args });
    }
    return predicate(ctx, expandTemplate(ctx, part.column ?? [], scope), member, f.operator, f.values);
  });
  return conds.length === 1 ? conds[0] : `(${conds.join(' AND ')})`;
}
