// Measures over time at the view's granularity, with the previous period aligned bucket by bucket.
import { useMemo } from 'react';
import type { Query, ResultSet } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import { CUBES, type CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';

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

export function useTimeSeries(cube: CubeKey, measures: readonly string[], view: ViewState): ReportState<SeriesPoint[]> {
  const base: Query = { measures: [...measures], order: { [CUBES[cube].time]: 'asc' } };
  const opts = { granularity: view.granularity } as const;
  const current = useReportQuery(scopeQuery(base, cube, view, opts), { keepPrevious: true });
  const previous = useReportQuery(scopeQuery(base, cube, view, { ...opts, period: 'previous' }), { skip: !view.compare, keepPrevious: true });
  const data = useMemo<SeriesPoint[] | null>(() => {
    if (!current.resultSet) return null;
    const now = pivot(current.resultSet, measures);
    const before = view.compare ? pivot(previous.resultSet, measures) : [];
    return now.map((point, i) => {
      const prior = before[i];
      const entry: Record<string, number | string | undefined> = { x: point.x, previousX: prior?.x, ...point.values };
      if (prior) for (const m of measures) entry[previousKey(m)] = prior.values[m];
      return entry as SeriesPoint;
    });
  }, [current.resultSet, previous.resultSet, view.compare, measures]);
  return {
    data,
    isLoading: current.isLoading && !current.resultSet,
    error: current.error ?? previous.error,
    refetch: () => { current.refetch(); previous.refetch(); },
  };
}
