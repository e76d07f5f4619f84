// Weekly retention cohorts that start in the view's range: users and rate per cohort week and week offset.
import { useMemo } from 'react';
import { scopeQuery } from '../model/build-query.ts';
import { addDays, type DateRange } from '../state/date-range.ts';
import { RETENTION } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';

export type Cohort = Readonly<{ cohort: string; size: number; cells: ReadonlyMap<number, { users: number; rate: number }> }>;

export const COHORT_KEY = `${RETENTION.cohortWeek}.week`;
export const MAX_PERIODS = 8;

/**
 * Cohort weeks are Mondays, so the ones inside [from, to] are those of the whole weeks from the
 * first Monday on or after `from` through the week holding `to`. The same cohorts, but a range a
 * weekly rollup can answer; a range without a Monday is left as it is (it holds no cohort).
 */
export function cohortWeeks([from, to]: DateRange): DateRange {
  const weekday = (d: string) => (new Date(`${d}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
  const firstMonday = addDays(from, (7 - weekday(from)) % 7);
  if (firstMonday > to) return [from, to];
  return [firstMonday, addDays(to, 6 - weekday(to))];
}

export function retentionQuery(view: ViewState) {
  return scopeQuery({
    measures: [RETENTION.users, RETENTION.cohortUsers, RETENTION.rate],
    dimensions: [RETENTION.period],
    order: [[RETENTION.cohortWeek, 'asc'], [RETENTION.period, 'asc']],
    limit: 2000,
  }, 'retention', view, { granularity: 'week', dateRange: cohortWeeks(view.range) });
}

export function buildCohorts(rows: readonly Record<string, unknown>[]): Cohort[] {
  const byCohort = new Map<string, { cohort: string; size: number; cells: Map<number, { users: number; rate: number }> }>();
  for (const r of rows) {
    const cohort = String(r[COHORT_KEY] ?? '');
    const period = toNumber(r[RETENTION.period]);
    if (!cohort || period < 0 || period >= MAX_PERIODS) continue;
    const entry = byCohort.get(cohort) ?? { cohort, size: toNumber(r[RETENTION.cohortUsers]), cells: new Map() };
    entry.cells.set(period, { users: toNumber(r[RETENTION.users]), rate: toNumber(r[RETENTION.rate]) });
    byCohort.set(cohort, entry);
  }
  return [...byCohort.values()].sort((a, b) => a.cohort.localeCompare(b.cohort));
}

export function useRetention(view: ViewState): ReportState<Cohort[]> {
  const q = useReportQuery(retentionQuery(view));
  const data = useMemo(() => (q.resultSet ? buildCohorts(q.resultSet.rawData() as Record<string, unknown>[]) : null), [q.resultSet]);
  return { data, isLoading: q.isLoading, error: q.error, refetch: q.refetch };
}
