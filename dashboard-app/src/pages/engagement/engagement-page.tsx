// Engagement: pages, landing and exit pages, events, engagement time over time and scroll depth.
import { Grid, Stack } from '@mui/material';
import { ReportTable } from '../../components/report-table.tsx';
import { Panel } from '../../components/panel.tsx';
import { TimeSeriesChart } from '../../components/time-series-chart.tsx';
import { GranularityToggle } from '../../components/granularity-toggle.tsx';
import { useTimeSeries } from '../../queries/use-time-series.ts';
import { EVENTS, PAGE_VIEWS, SESSIONS } from '../../model/members.ts';
import { useViewState } from '../../state/view-state.ts';
import { ScrollDepth } from './scroll-depth.tsx';

const ENGAGEMENT = [SESSIONS.avgEngagementTime] as const;

export default function EngagementPage() {
  const [view] = useViewState();
  const series = useTimeSeries('sessions', ENGAGEMENT, view);
  return (
    <Stack spacing={2} data-testid="page-engagement">
      <Panel title="Average engagement time per session" isLoading={series.isLoading} loadingHeight={260} error={series.error} onRetry={series.refetch} actions={<GranularityToggle />}>
        {series.data && <TimeSeriesChart points={series.data} member={SESSIONS.avgEngagementTime} label="Avg. engagement time" format="duration" granularity={view.granularity} showPrevious={view.compare} height={260} />}
      </Panel>
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Pages" cube="pageViews" dimension={PAGE_VIEWS.path} dimensionLabel="Page" filterKey="page" testId="eng-pages" limit={15}
            columns={[{ member: PAGE_VIEWS.count, label: 'Views' }, { member: PAGE_VIEWS.users, label: 'Users' }, { member: PAGE_VIEWS.avgEngagementTime, label: 'Avg. time', format: 'duration' }, { member: PAGE_VIEWS.avgScrollDepth, label: 'Scroll', format: 'percent' }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Events" cube="events" dimension={EVENTS.name} dimensionLabel="Event" testId="eng-events" limit={15}
            extraFilters={[{ member: EVENTS.name, operator: 'notEquals', values: ['page_ping'] }]}
            columns={[{ member: EVENTS.count, label: 'Count' }, { member: EVENTS.users, label: 'Users' }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Landing pages" cube="sessions" dimension={SESSIONS.landingPage} dimensionLabel="Landing page" filterKey="page" testId="eng-landing"
            columns={[{ member: SESSIONS.count, label: 'Sessions' }, { member: SESSIONS.bounceRate, label: 'Bounce', format: 'percent' }, { member: SESSIONS.avgEngagementTime, label: 'Avg. time', format: 'duration' }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Exit pages" cube="sessions" dimension={SESSIONS.exitPage} dimensionLabel="Exit page" testId="eng-exit"
            columns={[{ member: SESSIONS.count, label: 'Exits' }, { member: SESSIONS.users, label: 'Users' }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}><ScrollDepth view={view} /></Grid>
      </Grid>
    </Stack>
  );
}
