// Totals of some measures for the view's period and, for comparison, the previous period.
import { useMemo } from 'react';
import type { Query } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import type { CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';

export type Totals = Readonly<{ current: Record<string, number>; previous: Record<string, number> | null }>;

function firstRow(measures: readonly string[], rows: Record<string, unknown>[] | undefined): Record<string, number> {
  const row = rows?.[0] ?? {};
  return Object.fromEntries(measures.map((m) => [m, toNumber(row[m])]));
}

export function useTotals(cube: CubeKey, measures: readonly string[], view: ViewState): ReportState<Totals> {
  const base: Query = { measures: [...measures] };
  const current = useReportQuery(scopeQuery(base, cube, view));
  const previous = useReportQuery(scopeQuery(base, cube, view, { period: 'previous' }), { skip: !view.compare });
  const data = useMemo<Totals | null>(() => {
    if (!current.resultSet) return null;
    return {
      current: firstRow(measures, current.resultSet.tablePivot() as Record<string, unknown>[]),
      previous: view.compare && previous.resultSet
        ? firstRow(measures, previous.resultSet.tablePivot() as Record<string, unknown>[]) : null,
    };
  }, [current.resultSet, previous.resultSet, view.compare, measures]);
  return {
    data,
    isLoading: current.isLoading || (view.compare && previous.isLoading),
    error: current.error ?? previous.error,
    refetch: () => { current.refetch(); previous.refetch(); },
  };
}
