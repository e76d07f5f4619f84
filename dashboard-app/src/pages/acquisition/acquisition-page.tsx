// Acquisition: where sessions come from — channels, source/medium, campaigns and referrers.
import { Grid, Stack } from '@mui/material';
import { ReportTable } from '../../components/report-table.tsx';
import type { Column } from '../../components/breakdown-table.tsx';
import { SESSIONS } from '../../model/members.ts';
import { ChannelChart } from './channel-chart.tsx';

export const ACQUISITION_COLUMNS: readonly Column[] = [
  { member: SESSIONS.count, label: 'Sessions' },
  { member: SESSIONS.users, label: 'Users' },
  { member: SESSIONS.engagementRate, label: 'Engagement', format: 'percent' },
  { member: SESSIONS.keyEvents, label: 'Key events' },
];

/** The model labels missing values instead of returning NULL; campaign and referrer lists leave those out. */
const NOT_SET = ['(not set)', '(direct)', '(none)'] as const;

export default function AcquisitionPage() {
  return (
    <Stack spacing={2} data-testid="page-acquisition">
      <ChannelChart />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Channels" cube="sessions" dimension={SESSIONS.channel} dimensionLabel="Channel" columns={ACQUISITION_COLUMNS} testId="acq-channels" />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Source / medium" cube="sessions" dimension={SESSIONS.sourceMedium} dimensionLabel="Source / medium" columns={ACQUISITION_COLUMNS} testId="acq-source-medium" />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Campaigns" cube="sessions" dimension={SESSIONS.campaign} dimensionLabel="Campaign" columns={ACQUISITION_COLUMNS} filterKey="campaign" testId="acq-campaigns"
            extraFilters={[{ member: SESSIONS.campaign, operator: 'notEquals', values: [...NOT_SET] }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Referrers" cube="sessions" dimension={SESSIONS.referrer} dimensionLabel="Referrer" columns={ACQUISITION_COLUMNS} testId="acq-referrers"
            extraFilters={[{ member: SESSIONS.referrer, operator: 'notEquals', values: [...NOT_SET] }]} />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Sources" cube="sessions" dimension={SESSIONS.source} dimensionLabel="Source" columns={ACQUISITION_COLUMNS} filterKey="source" testId="acq-sources" />
        </Grid>
      </Grid>
    </Stack>
  );
}
