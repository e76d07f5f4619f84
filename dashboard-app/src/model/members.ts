// Every member name of the data model (schema/) the dashboard uses, in one place so a rename is one edit.
import type { FilterKey } from '../state/view-state.ts';

export type CubeKey = 'events' | 'pageViews' | 'sessions' | 'users' | 'retention';

/** Members every report cube exposes: the tenant (site), its time dimension and the global filters. */
export type CubeSpec = Readonly<{
  appId: string;
  time: string;
  /** A global filter the cube cannot express is left out of its queries (retention has no geo). */
  filters: Readonly<Partial<Record<FilterKey, string>>>;
  /** Segments every report on the cube applies: the events cube keeps bots, reports do not. */
  segments?: readonly string[];
}>;

export const CUBES: Readonly<Record<CubeKey, CubeSpec>> = {
  events: {
    appId: 'events.app_id',
    time: 'events.timestamp',
    segments: ['events.humans'],
    filters: {
      country: 'events.country',
      device: 'events.device_type',
      source: 'events.source',
      page: 'events.page_path',
      campaign: 'events.campaign',
    },
  },
  pageViews: {
    appId: 'page_views.app_id',
    time: 'page_views.timestamp',
    filters: {
      country: 'page_views.country',
      device: 'page_views.device_type',
      source: 'page_views.source',
      page: 'page_views.page_path',
      campaign: 'page_views.campaign',
    },
  },
  sessions: {
    appId: 'sessions.app_id',
    time: 'sessions.start_time',
    filters: {
      country: 'sessions.country',
      device: 'sessions.device_type',
      source: 'sessions.source',
      page: 'sessions.landing_page',
      campaign: 'sessions.campaign',
    },
  },
  users: {
    appId: 'users.app_id',
    time: 'users.first_seen',
    filters: {
      country: 'users.country',
      device: 'users.device_type',
      source: 'users.first_source',
      page: 'users.first_page',
      campaign: 'users.first_campaign',
    },
  },
  retention: {
    appId: 'retention.app_id',
    time: 'retention.cohort_week',
    filters: {},
  },
};

export const EVENTS = {
  count: 'events.count',
  pageViews: 'events.page_views',
  pagePath: 'events.page_path',
  source: 'events.source',
  users: 'events.users',
  keyEvents: 'events.key_events',
  name: 'events.event_name',
  timestamp: 'events.timestamp',
} as const;

export const PAGE_VIEWS = {
  count: 'page_views.count',
  users: 'page_views.users',
  avgEngagementTime: 'page_views.average_engagement_time',
  avgScrollDepth: 'page_views.average_scroll_depth',
  entrances: 'page_views.entrances',
  exits: 'page_views.exits',
  path: 'page_views.page_path',
  title: 'page_views.page_title',
  scrollBucket: 'page_views.scroll_depth_bucket',
} as const;

export const SESSIONS = {
  count: 'sessions.count',
  users: 'sessions.users',
  newUsers: 'sessions.new_users',
  engagedSessions: 'sessions.engaged_sessions',
  engagementRate: 'sessions.engagement_rate',
  bounceRate: 'sessions.bounce_rate',
  avgEngagementTime: 'sessions.average_engagement_time',
  viewsPerSession: 'sessions.views_per_session',
  keyEvents: 'sessions.key_events',
  channel: 'sessions.channel',
  source: 'sessions.source',
  medium: 'sessions.medium',
  sourceMedium: 'sessions.source_medium',
  campaign: 'sessions.campaign',
  referrer: 'sessions.referrer_host',
  landingPage: 'sessions.landing_page',
  exitPage: 'sessions.exit_page',
  country: 'sessions.country',
  city: 'sessions.city',
  language: 'sessions.language',
  device: 'sessions.device_type',
  browser: 'sessions.browser',
  os: 'sessions.os',
  screenSize: 'sessions.screen_size',
  userType: 'sessions.user_type',
  appId: 'sessions.app_id',
} as const;

export const RETENTION = {
  cohortWeek: 'retention.cohort_week',
  period: 'retention.weeks_since_first',
  users: 'retention.users',
  cohortUsers: 'retention.cohort_users',
  rate: 'retention.retention_rate',
} as const;

/** Event columns the funnel API filters steps on (server/src/funnels/funnel-columns.ts). */
export const FUNNEL_COLUMNS = {
  country: 'events.country',
  device: 'events.device_type',
} as const;
