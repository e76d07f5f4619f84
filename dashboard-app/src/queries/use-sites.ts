// The sites (app_id values) that have sessions in the last year, for the site picker.
import { useMemo } from 'react';
import { scopeQuery } from '../model/build-query.ts';
import { CUBES, SESSIONS } from '../model/members.ts';
import { addDays, todayIn } from '../state/date-range.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';

/** Skipped until needed (the picker opens): a year-long scan should not compete with the page's own queries. */
export function useSites(view: ViewState, skip = false): ReportState<string[]> {
  const today = todayIn(view.timezone);
  const query = scopeQuery(
    { dimensions: [CUBES.sessions.appId], measures: [SESSIONS.count], order: { [SESSIONS.count]: 'desc' }, limit: 200 },
    'sessions', { ...view, site: null }, { dateRange: [addDays(today, -365), today], skipFilters: true },
  );
  const q = useReportQuery(query, { skip });
  const data = useMemo(() => q.resultSet
    ? q.resultSet.tablePivot().map((r) => String(r[CUBES.sessions.appId] ?? '')).filter(Boolean)
    : null, [q.resultSet]);
  return { data, isLoading: q.isLoading, error: q.error, refetch: q.refetch };
}
