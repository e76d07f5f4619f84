// Whether the previous period can be compared with: the site had data by its first day. A site
// that started collecting inside the previous period (a new install, the 30-day demo with the
// 28-day view) would otherwise show "↑ 970%": tracking starting, not traffic growing. As
// Plausible does for periods before a site's first data, the cards then say there is no
// previous period to compare with instead of a percentage.
import { useMemo } from 'react';
import type { Query } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import { SESSIONS } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery } from './use-report-query.ts';
import { toNumber } from './numbers.ts';

/** Earlier than any site's data; the day-partitioned pre-aggregations answer it from their first partition. */
export const HISTORY_START = '2000-01-01';

/** Sessions of the site from the start of history to the previous period's first day (inclusive), global filters aside. */
export function earlierDataQuery(view: ViewState): Query {
  return scopeQuery({ measures: [SESSIONS.count] }, 'sessions', view, { dateRange: [HISTORY_START, view.previous[0]], skipFilters: true });
}

/** true: compare; false: the data starts after the previous period's first day; null: not known yet. */
export function comparableFrom(sessionsUpToPreviousStart: unknown): boolean | null {
  if (sessionsUpToPreviousStart === undefined) return null;
  return toNumber(sessionsUpToPreviousStart) > 0;
}

/** false while comparing is off; null until known. */
export function useComparable(view: ViewState): boolean | null {
  const q = useReportQuery(earlierDataQuery(view), { skip: !view.compare });
  return useMemo(() => {
    if (!view.compare) return false;
    if (!q.resultSet) return q.error ? true : null;
    return comparableFrom(q.resultSet.tablePivot()[0]?.[SESSIONS.count] ?? 0);
  }, [q.resultSet, q.error, view.compare]);
}
