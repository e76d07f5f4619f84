// The Explorer's query state, kept in the URL (`q` = JSON) so a link reproduces the exploration.
import type { Filter, Query, TimeDimensionGranularity } from '@cubejs-client/core';
import type { ViewState } from '../../state/view-state.ts';

export type ChartType = 'line' | 'bar' | 'table';

export type ExplorerState = Readonly<{
  measures: string[];
  dimensions: string[];
  segments: string[];
  timeDimension: string | null;
  granularity: TimeDimensionGranularity | null;
  filters: { member: string; operator: string; values: string[] }[];
  chart: ChartType;
  limit: number;
}>;

export const EMPTY_EXPLORER: ExplorerState = {
  measures: [], dimensions: [], segments: [], timeDimension: null, granularity: 'day', filters: [], chart: 'line', limit: 500,
};

export function parseExplorer(param: string | null): ExplorerState {
  if (!param) return EMPTY_EXPLORER;
  try {
    const raw = JSON.parse(param) as Partial<ExplorerState>;
    const strings = (v: unknown) => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);
    return {
      measures: strings(raw.measures),
      dimensions: strings(raw.dimensions),
      segments: strings(raw.segments),
      timeDimension: typeof raw.timeDimension === 'string' ? raw.timeDimension : null,
      granularity: (raw.granularity ?? null) as TimeDimensionGranularity | null,
      filters: Array.isArray(raw.filters) ? raw.filters.filter((f) => f && typeof f.member === 'string') : [],
      chart: raw.chart === 'bar' || raw.chart === 'table' ? raw.chart : 'line',
      limit: Number(raw.limit) > 0 ? Math.min(Number(raw.limit), 50000) : 500,
    };
  } catch {
    return EMPTY_EXPLORER;
  }
}

export function cubeOf(member: string): string {
  return member.split('.')[0] ?? '';
}

/** The view's site filter applies to every cube in the query that has an app_id dimension. */
export function toCubeQuery(s: ExplorerState, view: ViewState, hasMember: (m: string) => boolean): Query | null {
  if (s.measures.length === 0 && s.dimensions.length === 0) return null;
  const cubes = new Set([...s.measures, ...s.dimensions, ...s.segments].map(cubeOf));
  const filters: Filter[] = s.filters
    .filter((f) => f.operator === 'set' || f.operator === 'notSet' || f.values.length > 0)
    .map((f) => ({ member: f.member, operator: f.operator, ...(f.operator === 'set' || f.operator === 'notSet' ? {} : { values: f.values }) }) as Filter);
  if (view.site) {
    for (const cube of cubes) if (hasMember(`${cube}.app_id`)) filters.push({ member: `${cube}.app_id`, operator: 'equals', values: [view.site] });
  }
  return {
    measures: s.measures,
    dimensions: s.dimensions,
    segments: s.segments,
    timeDimensions: s.timeDimension ? [{
      dimension: s.timeDimension, dateRange: [view.range[0], view.range[1]], ...(s.granularity ? { granularity: s.granularity } : {}),
    }] : [],
    filters,
    limit: s.limit,
    timezone: view.timezone,
  };
}
