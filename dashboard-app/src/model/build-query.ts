// Scopes a report query to the current view: site, date range (current or previous period), filters, time zone.
import type { Filter, Query, TimeDimensionGranularity } from '@cubejs-client/core';
import { CUBES, type CubeKey } from './members.ts';
import { FILTER_KEYS, type ViewState } from '../state/view-state.ts';

export type Period = 'current' | 'previous';

export type ScopeOptions = Readonly<{
  period?: Period;
  granularity?: TimeDimensionGranularity | null;
  /** Overrides the view's dates, e.g. the realtime window as local timestamps. */
  dateRange?: readonly [string, string];
  /** Some reports ignore some global filters (e.g. the site picker's own list). */
  skipFilters?: boolean;
  /** Current and previous period in one request (Cube's compareDateRange: one result per range). */
  compare?: boolean;
}>;

export function viewFilters(cube: CubeKey, view: ViewState, skipFilters = false): Filter[] {
  const spec = CUBES[cube];
  const filters: Filter[] = [];
  if (view.site) filters.push({ member: spec.appId, operator: 'equals', values: [view.site] });
  if (skipFilters) return filters;
  for (const key of FILTER_KEYS) {
    const value = view.filters[key];
    const member = spec.filters[key];
    if (value && member) filters.push({ member, operator: 'equals', values: [value] });
  }
  return filters;
}

export function scopeQuery(base: Query, cube: CubeKey, view: ViewState, opts: ScopeOptions = {}): Query {
  const spec = CUBES[cube];
  const range = opts.dateRange ?? (opts.period === 'previous' ? view.previous : view.range);
  return {
    ...base,
    timeDimensions: [{
      dimension: spec.time,
      ...(opts.compare
        ? { compareDateRange: [[view.range[0], view.range[1]], [view.previous[0], view.previous[1]]] }
        : { dateRange: [range[0], range[1]] }),
      ...(opts.granularity ? { granularity: opts.granularity } : {}),
    }],
    filters: [...(base.filters ?? []), ...viewFilters(cube, view, opts.skipFilters)],
    ...(spec.segments ? { segments: [...(base.segments ?? []), ...spec.segments] } : {}),
    timezone: view.timezone,
  };
}
