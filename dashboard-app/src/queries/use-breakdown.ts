// A ranked table: measures by one or more dimensions for the view's period, top N by the first measure.
import { useMemo } from 'react';
import type { Query } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import type { CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';

export type BreakdownRow = Readonly<Record<string, string | number | boolean | null>>;

export type BreakdownOptions = Readonly<{ limit?: number; orderBy?: string; extraFilters?: Query['filters'] }>;

export function breakdownQuery(cube: CubeKey, dimensions: readonly string[], measures: readonly string[], view: ViewState, opts: BreakdownOptions = {}): Query {
  const orderBy = opts.orderBy ?? measures[0];
  return scopeQuery({
    dimensions: [...dimensions],
    measures: [...measures],
    order: orderBy ? { [orderBy]: 'desc' } : undefined,
    limit: opts.limit ?? 10,
    ...(opts.extraFilters ? { filters: opts.extraFilters } : {}),
  }, cube, view);
}

export function useBreakdown(cube: CubeKey, dimensions: readonly string[], measures: readonly string[], view: ViewState, opts: BreakdownOptions = {}): ReportState<BreakdownRow[]> {
  const q = useReportQuery(breakdownQuery(cube, dimensions, measures, view, opts));
  const data = useMemo(() => (q.resultSet ? (q.resultSet.tablePivot() as BreakdownRow[]) : null), [q.resultSet]);
  return { data, isLoading: q.isLoading, error: q.error, refetch: q.refetch };
}
