// The parts of a SELECT every query shape shares: the dimension columns with their result
// aliases, and the WHERE conditions (dimension filters, date ranges, segments). Used by the
// plain and full-key-aggregate selects, rolling-window groups and original_sql builds.
import type { Dimension } from '../model/types.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import type { NormalizedQuery } from '../query/types.ts';
import { expandTemplate } from './expand-template.ts';
import { memberAlias, type RenderContext } from './render-context.ts';
import { renderFilterTree, splitFilters } from './render-filters.ts';
import { dimensionSql, timeDimensionSql } from './render-members.ts';

export interface OutputColumn { readonly alias: string; readonly member: string; readonly sql: string }

/** Dimensions and time-dimension buckets the query groups by, with their result aliases. */
export function outputDimensions(ctx: RenderContext, q: NormalizedQuery): OutputColumn[] {
  const dims: OutputColumn[] = q.dimensions.map((d) => {
    const dim = underlyingMember(ctx.model, resolveMember(ctx.model, d)) as Dimension;
    // A time member asked for in `dimensions` is returned as stored, whatever the query's time
    // zone (Cube converts only timeDimensions buckets and date ranges).
    return { alias: memberAlias(d), member: d, sql: dimensionSql(ctx, dim) };
  });
  for (const td of q.timeDimensions) {
    if (!td.granularity) continue;
    const member = `${td.dimension}.${td.granularity}`;
    if (dims.some((d) => d.member === member)) continue;
    const dim = underlyingMember(ctx.model, resolveMember(ctx.model, td.dimension));
    dims.push({ alias: memberAlias(td.dimension, td.granularity), member, sql: timeDimensionSql(ctx, dim as Dimension, td.granularity) });
  }
  return dims;
}

/** WHERE conditions: dimension filters, segments, time-dimension date ranges. */
export function whereConditions(ctx: RenderContext, q: NormalizedQuery): { where: string[]; havingFilters: ReturnType<typeof splitFilters>['having'] } {
  const { where, having } = splitFilters(ctx, q.filters);
  const conds = where.map((f) => renderFilterTree(ctx, f));
  for (const td of q.timeDimensions) {
    if (td.dateRange) conds.push(renderFilterTree(ctx, { member: td.dimension, operator: 'inDateRange', values: td.dateRange }));
  }
  for (const s of q.segments) {
    const seg = underlyingMember(ctx.model, resolveMember(ctx.model, s));
    if (seg.kind === 'segment') conds.push(`(${expandTemplate(ctx, seg.sql)})`);
  }
  return { where: conds, havingFilters: having };
}
