// Measures over time at the view's granularity, with the previous period aligned bucket by bucket.
import { useMemo } from 'react';
import type { Query, ResultSet } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import { CUBES, type CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';
import { periods } from './periods.ts';

export type SeriesPoint = Readonly<{ x: string; previousX?: string } & Record<string, number | string | undefined>>;

export const previousKey = (member: string) => `${member}__previous`;

/** chartPivot fills missing buckets from the query's dateRange (cube.md §7.3), so both periods line up. */
function pivot(resultSet: ResultSet | null, measures: readonly string[]): { x: string; values: Record<string, number> }[] {
  if (!resultSet) return [];
  return resultSet.chartPivot().map((row) => ({
    x: String(row.x),
    values: Object.fromEntries(measures.map((m) => [m, toNumber((row as Record<string, unknown>)[m])])),
  }));
}

export function seriesQuery(cube: CubeKey, measures: readonly string[], view: ViewState): Query {
  const base: Query = { measures: [...measures], order: { [CUBES[cube].time]: 'asc' } };
  return scopeQuery(base, cube, view, { granularity: view.granularity, compare: view.compare });
}

export function useTimeSeries(cube: CubeKey, measures: readonly string[], view: ViewState): ReportState<SeriesPoint[]> {
  const q = useReportQuery(seriesQuery(cube, measures, view), { keepPrevious: true });
  const data = useMemo<SeriesPoint[] | null>(() => {
    const [current, previous] = periods(q.resultSet, view.compare);
    if (!current) return null;
    const now = pivot(current, measures);
    const before = pivot(previous, measures);
    return now.map((point, i) => {
      const prior = before[i];
      const entry: Record<string, number | string | undefined> = { x: point.x, previousX: prior?.x, ...point.values };
      if (prior) for (const m of measures) entry[previousKey(m)] = prior.values[m];
      return entry as SeriesPoint;
    });
  }, [q.resultSet, view.compare, measures]);
  return { data, isLoading: q.isLoading && !q.resultSet, error: q.error, refetch: q.refetch };
}
