// Overview: headline KPIs, traffic over time, and the top pages, sources, countries and devices.
import { Grid, Stack } from '@mui/material';
import { CountryLabel } from '../../components/country-label.tsx';
import { ReportTable } from '../../components/report-table.tsx';
import { TOP_ROWS, TOP_TABLES } from './overview-queries.ts';
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
            title="Top pages" cube={TOP_TABLES.pages.cube} dimension={TOP_TABLES.pages.dimension} dimensionLabel="Page" filterKey="page" testId="top-pages" limit={TOP_ROWS}
            columns={[{ member: TOP_TABLES.pages.measures[0], label: 'Views' }, { member: TOP_TABLES.pages.measures[1], label: 'Users' }]}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Top sources" cube={TOP_TABLES.sources.cube} dimension={TOP_TABLES.sources.dimension} dimensionLabel="Source" filterKey="source" testId="top-sources" limit={TOP_ROWS}
            columns={[{ member: TOP_TABLES.sources.measures[0], label: 'Sessions' }, { member: TOP_TABLES.sources.measures[1], label: 'Users' }]}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Countries" cube={TOP_TABLES.countries.cube} dimension={TOP_TABLES.countries.dimension} dimensionLabel="Country" filterKey="country" testId="top-countries" limit={TOP_ROWS}
            columns={[{ member: TOP_TABLES.countries.measures[0], label: 'Users' }, { member: TOP_TABLES.countries.measures[1], label: 'Sessions' }]}
            renderLabel={(v) => <CountryLabel code={v} />}
          />
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <ReportTable
            title="Devices" cube={TOP_TABLES.devices.cube} dimension={TOP_TABLES.devices.dimension} dimensionLabel="Device" filterKey="device" testId="top-devices" limit={TOP_ROWS}
            columns={[{ member: TOP_TABLES.devices.measures[0], label: 'Users' }, { member: TOP_TABLES.devices.measures[1], label: 'Sessions' }]}
          />
        </Grid>
      </Grid>
    </Stack>
  );
}
