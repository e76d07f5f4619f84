// The Explorer's query state, kept in the URL (`q` = JSON) so a link reproduces the exploration.
import type { Filter, Query, TimeDimensionGranularity } from '@cubejs-client/core';
import type { ViewState } from '../../state/view-state.ts';
import { viewFilters } from '../../model/build-query.ts';
import { CUBES, SESSIONS, type CubeKey } from '../../model/members.ts';

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

/** A first visit starts from a useful question (sessions per day) rather than an empty form. */
export const DEFAULT_EXPLORER: ExplorerState = {
  measures: [SESSIONS.count], dimensions: [], segments: [], timeDimension: CUBES.sessions.time, granularity: 'day', filters: [], chart: 'line', limit: 500,
};

const EMPTY_EXPLORER: ExplorerState = { ...DEFAULT_EXPLORER, measures: [], timeDimension: null };

export function parseExplorer(param: string | null): ExplorerState {
  if (!param) return DEFAULT_EXPLORER;
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

/** The model cube (by its name in member ids) that the dashboard knows how to scope, if any. */
function knownCube(cube: string): CubeKey | null {
  const entry = (Object.entries(CUBES) as [CubeKey, (typeof CUBES)[CubeKey]][]).find(([, spec]) => cubeOf(spec.appId) === cube);
  return entry ? entry[0] : null;
}

/** The view's site and global filters apply to every cube of the query the dashboard knows the members of. */
export function toCubeQuery(s: ExplorerState, view: ViewState): Query | null {
  if (s.measures.length === 0 && s.dimensions.length === 0) return null;
  const cubes = new Set([...s.measures, ...s.dimensions, ...s.segments].map(cubeOf));
  const filters: Filter[] = s.filters
    .filter((f) => f.operator === 'set' || f.operator === 'notSet' || f.values.length > 0)
    .map((f) => ({ member: f.member, operator: f.operator, ...(f.operator === 'set' || f.operator === 'notSet' ? {} : { values: f.values }) }) as Filter);
  for (const cube of cubes) {
    const key = knownCube(cube);
    if (key) filters.push(...viewFilters(key, view));
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
