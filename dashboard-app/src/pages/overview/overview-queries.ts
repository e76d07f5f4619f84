// The Overview's queries, built by the same functions as the page's hooks: the page reads its
// members from here, and the API client starts these requests before the page's code (charts
// included) has loaded and rendered (api/prefetch.ts).
import type { Query } from '@cubejs-client/core';
import { PAGE_VIEWS, SESSIONS, type CubeKey } from '../../model/members.ts';
import { breakdownQuery } from '../../queries/use-breakdown.ts';
import { seriesQuery } from '../../queries/use-time-series.ts';
import { totalsQuery } from '../../queries/use-totals.ts';
import { earlierDataQuery } from '../../queries/use-comparable.ts';
import type { ViewState } from '../../state/view-state.ts';

export const SESSION_KPIS = [SESSIONS.users, SESSIONS.newUsers, SESSIONS.count, SESSIONS.engagementRate, SESSIONS.bounceRate, SESSIONS.avgEngagementTime] as const;
export const VIEW_KPIS = [PAGE_VIEWS.count] as const;

export const CHART_METRICS: Readonly<Record<string, { label: string; cube: CubeKey; measures: readonly string[] }>> = {
  users: { label: 'Users', cube: 'sessions', measures: [SESSIONS.users] },
  sessions: { label: 'Sessions', cube: 'sessions', measures: [SESSIONS.count] },
  views: { label: 'Views', cube: 'pageViews', measures: [PAGE_VIEWS.count] },
};

/** The chart's metric from the URL's `metric`, users when absent or unknown. */
export const chartMetricId = (param: string | null) => (param && CHART_METRICS[param] ? param : 'users');

export const TOP_TABLES = {
  pages: { cube: 'pageViews', dimension: PAGE_VIEWS.path, measures: [PAGE_VIEWS.count, PAGE_VIEWS.users] },
  sources: { cube: 'sessions', dimension: SESSIONS.source, measures: [SESSIONS.count, SESSIONS.users] },
  countries: { cube: 'sessions', dimension: SESSIONS.country, measures: [SESSIONS.users, SESSIONS.count] },
  devices: { cube: 'sessions', dimension: SESSIONS.device, measures: [SESSIONS.users, SESSIONS.count] },
} as const satisfies Record<string, { cube: CubeKey; dimension: string; measures: readonly string[] }>;

/** Rows each top table shows (ReportTable's default). */
export const TOP_ROWS = 10;

export function overviewQueries(view: ViewState, metricParam: string | null): Query[] {
  const metric = CHART_METRICS[chartMetricId(metricParam)]!;
  return [
    totalsQuery('sessions', SESSION_KPIS, view),
    totalsQuery('pageViews', VIEW_KPIS, view),
    seriesQuery(metric.cube, metric.measures, view),
    ...Object.values(TOP_TABLES).map((t) => breakdownQuery(t.cube, [t.dimension], t.measures, view, { limit: TOP_ROWS })),
    // Whether the previous period lies within the data (the cards' percentages wait for it).
    ...(view.compare ? [earlierDataQuery(view)] : []),
  ];
}
