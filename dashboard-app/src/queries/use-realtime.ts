// Realtime numbers: active users in a trailing window, per-minute views and what is being read right now.
import { useMemo } from 'react';
import type { Filter, Query } from '@cubejs-client/core';
import { scopeQuery } from '../model/build-query.ts';
import { CUBES, type CubeKey } from '../model/members.ts';
import type { ViewState } from '../state/view-state.ts';
import { useReportQuery, type ReportState } from './use-report-query.ts';
import { toNumber } from './numbers.ts';

export type RealtimeWindow = readonly [string, string];

/** How often the realtime numbers are re-read. */
export const REALTIME_POLL_MS = 5_000;
const LIVE = { keepPrevious: true, pollMs: REALTIME_POLL_MS } as const;

/** The window stays the same for a minute, so the hooks poll; renewQuery (Cube's, sent as given, though the
 *  client's Query type lacks it) keeps the server's result cache out of it. */
function live(query: Query): Query {
  const renewed: Query & { renewQuery: boolean } = { ...query, renewQuery: true };
  return renewed;
}

/** A scalar over a trailing window; the previous answer stays on screen while the next one loads. */
export function useWindowTotal(cube: CubeKey, measure: string, window: RealtimeWindow, view: ViewState): ReportState<number> {
  const q = useReportQuery(live(scopeQuery({ measures: [measure] }, cube, view, { dateRange: window })), LIVE);
  const data = useMemo(() => (q.resultSet ? toNumber(q.resultSet.tablePivot()[0]?.[measure]) : null), [q.resultSet, measure]);
  return { data, isLoading: q.isLoading && !q.resultSet, error: q.error, refetch: q.refetch };
}

export function useWindowSeries(cube: CubeKey, measure: string, window: RealtimeWindow, view: ViewState): ReportState<{ x: string; value: number }[]> {
  const base: Query = { measures: [measure], order: { [CUBES[cube].time]: 'asc' } };
  const q = useReportQuery(live(scopeQuery(base, cube, view, { dateRange: window, granularity: 'minute' })), LIVE);
  const data = useMemo(() => (q.resultSet
    ? q.resultSet.chartPivot().map((r) => ({ x: String(r.x), value: toNumber((r as Record<string, unknown>)[measure]) }))
    : null), [q.resultSet, measure]);
  return { data, isLoading: q.isLoading && !q.resultSet, error: q.error, refetch: q.refetch };
}

/**
 * The top rows of `dimension` over the window. `onlySet` leaves out events where the dimension
 * is empty: "Top pages right now" counts users on a page, not the page-less events (a server's
 * structured events) that would otherwise top it as "(not set)".
 */
export function windowBreakdownQuery(cube: CubeKey, dimension: string, measure: string, window: RealtimeWindow, view: ViewState,
  opts: { readonly onlySet?: boolean } = {}): Query {
  const filters: Filter[] = opts.onlySet ? [{ member: dimension, operator: 'set' }] : [];
  return live(scopeQuery({ dimensions: [dimension], measures: [measure], order: { [measure]: 'desc' }, limit: 10, ...(filters.length ? { filters } : {}) },
    cube, view, { dateRange: window }));
}

export function useWindowBreakdown(cube: CubeKey, dimension: string, measure: string, window: RealtimeWindow, view: ViewState,
  opts: { readonly onlySet?: boolean } = {}): ReportState<Record<string, unknown>[]> {
  const q = useReportQuery(windowBreakdownQuery(cube, dimension, measure, window, view, opts), LIVE);
  const data = useMemo(() => (q.resultSet ? (q.resultSet.tablePivot() as Record<string, unknown>[]) : null), [q.resultSet]);
  return { data, isLoading: q.isLoading && !q.resultSet, error: q.error, refetch: q.refetch };
}
