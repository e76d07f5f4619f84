// The /load requests the Overview sends for a view (dashboard-app: kpi-row, traffic-chart,
// overview-page with scopeQuery, useTotals, useTimeSeries and useBreakdown), all sites, UTC,
// with comparison to the previous period: the benches time exactly what the page asks.
type Range = readonly [string, string];

export function overviewQueries(range: Range, previous: Range): [string, Record<string, unknown>][] {
  const compare = (dimension: string, granularity?: string) => [{
    dimension, compareDateRange: [[range[0], range[1]], [previous[0], previous[1]]], ...(granularity ? { granularity } : {}),
  }];
  const inRange = (dimension: string) => [{ dimension, dateRange: [range[0], range[1]] }];
  const breakdown = (dimension: string, measures: string[]) => ({
    dimensions: [dimension], measures, order: { [measures[0]!]: 'desc' }, limit: 10, filters: [],
    timeDimensions: inRange(dimension.startsWith('page_views.') ? 'page_views.timestamp' : 'sessions.start_time'), timezone: 'UTC',
  });
  return [
    ['KPI row (sessions)', {
      measures: ['sessions.users', 'sessions.new_users', 'sessions.count', 'sessions.engagement_rate', 'sessions.bounce_rate', 'sessions.average_engagement_time'],
      timeDimensions: compare('sessions.start_time'), filters: [], timezone: 'UTC',
    }],
    ['KPI views', { measures: ['page_views.count'], timeDimensions: compare('page_views.timestamp'), filters: [], timezone: 'UTC' }],
    ['users by day', { measures: ['sessions.users'], order: { 'sessions.start_time': 'asc' }, timeDimensions: compare('sessions.start_time', 'day'), filters: [], timezone: 'UTC' }],
    ['top pages', breakdown('page_views.page_path', ['page_views.count', 'page_views.users'])],
    ['top sources', breakdown('sessions.source', ['sessions.count', 'sessions.users'])],
    ['countries', breakdown('sessions.country', ['sessions.users', 'sessions.count'])],
    ['devices', breakdown('sessions.device_type', ['sessions.users', 'sessions.count'])],
  ];
}
