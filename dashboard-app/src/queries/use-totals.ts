// Totals of some measures for the view's period and, for comparison, the previous period.
import { useMemo } from 'react';
import type { Query } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import type { CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';
import { periods } from './periods.ts';

export type Totals = Readonly<{ current: Record<string, number>; previous: Record<string, number> | null }>;

function firstRow(measures: readonly string[], rows: Record<string, unknown>[] | undefined): Record<string, number> {
  const row = rows?.[0] ?? {};
  return Object.fromEntries(measures.map((m) => [m, toNumber(row[m])]));
}

/** One request for both periods when comparing (compareDateRange), so the cards fill in together. */
export function totalsQuery(cube: CubeKey, measures: readonly string[], view: ViewState): Query {
  return scopeQuery({ measures: [...measures] }, cube, view, { compare: view.compare });
}

export function useTotals(cube: CubeKey, measures: readonly string[], view: ViewState): ReportState<Totals> {
  const q = useReportQuery(totalsQuery(cube, measures, view));
  const data = useMemo<Totals | null>(() => {
    const [current, previous] = periods(q.resultSet, view.compare);
    if (!current) return null;
    return {
      current: firstRow(measures, current.tablePivot() as Record<string, unknown>[]),
      previous: previous ? firstRow(measures, previous.tablePivot() as Record<string, unknown>[]) : null,
    };
  }, [q.resultSet, view.compare, measures]);
  return { data, isLoading: q.isLoading, error: q.error, refetch: q.refetch };
}
