// Overview: headline KPIs, traffic over time, and the top pages, sources, countries and devices.
import { Grid, Stack } from '@mui/material';
import { CountryLabel } from '../../components/country-label.tsx';
import { ReportTable } from '../../components/report-table.tsx';
import { PAGE_VIEWS, SESSIONS } from '../../model/members.ts';
import { useViewState } from '../../state/view-state.ts';
import { KpiRow } from './kpi-row.tsx';
import { TrafficChart } from './traffic-chart.tsx';

export default function OverviewPage() {
  const [view] = useViewState();
  return (
    <Stack spacing={2} data-testid="page-overview">
      <KpiRow view={view} />
      <TrafficChart view={view} />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Top pages" cube="pageViews" dimension={PAGE_VIEWS.path} dimensionLabel="Page" filterKey="page" testId="top-pages"
            columns={[{ member: PAGE_VIEWS.count, label: 'Views' }, { member: PAGE_VIEWS.users, label: 'Users' }]}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Top sources" cube="sessions" dimension={SESSIONS.source} dimensionLabel="Source" filterKey="source" testId="top-sources"
            columns={[{ member: SESSIONS.count, label: 'Sessions' }, { member: SESSIONS.users, label: 'Users' }]}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Countries" cube="sessions" dimension={SESSIONS.country} dimensionLabel="Country" filterKey="country" testId="top-countries"
            columns={[{ member: SESSIONS.users, label: 'Users' }, { member: SESSIONS.count, label: 'Sessions' }]}
            renderLabel={(v) => <CountryLabel code={v} />}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Devices" cube="sessions" dimension={SESSIONS.device} dimensionLabel="Device" filterKey="device" testId="top-devices"
            columns={[{ member: SESSIONS.users, label: 'Users' }, { member: SESSIONS.count, label: 'Sessions' }]}
          />
        </Grid>
      </Grid>
    </Stack>
  );
}
