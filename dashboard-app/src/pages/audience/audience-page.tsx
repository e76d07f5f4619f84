// Audience: where people are (countries, cities, languages), what they use, new vs returning, and retention.
import { Grid, Stack } from '@mui/material';
import { CountryLabel } from '../../components/country-label.tsx';
import { ReportTable } from '../../components/report-table.tsx';
import type { Column } from '../../components/breakdown-table.tsx';
import { SESSIONS } from '../../model/members.ts';
import { RetentionGrid } from './retention-grid.tsx';
import { UserTypeSplit } from './user-type-split.tsx';

const COLUMNS: readonly Column[] = [
  { member: SESSIONS.users, label: 'Users' },
  { member: SESSIONS.count, label: 'Sessions' },
  { member: SESSIONS.engagementRate, label: 'Engagement', format: 'percent' },
];

const TABLES: readonly { title: string; dimension: string; label: string; filterKey?: 'country' | 'device'; testId: string }[] = [
  { title: 'Cities', dimension: SESSIONS.city, label: 'City', testId: 'aud-cities' },
  { title: 'Languages', dimension: SESSIONS.language, label: 'Language', testId: 'aud-languages' },
  { title: 'Devices', dimension: SESSIONS.device, label: 'Device', filterKey: 'device', testId: 'aud-devices' },
  { title: 'Browsers', dimension: SESSIONS.browser, label: 'Browser', testId: 'aud-browsers' },
  { title: 'Operating systems', dimension: SESSIONS.os, label: 'OS', testId: 'aud-os' },
  { title: 'Screen sizes', dimension: SESSIONS.screenSize, label: 'Screen', testId: 'aud-screens' },
];

export default function AudiencePage() {
  return (
    <Stack spacing={2} data-testid="page-audience">
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, lg: 6 }}>
          <ReportTable title="Countries" cube="sessions" dimension={SESSIONS.country} dimensionLabel="Country" filterKey="country" columns={COLUMNS} limit={15}
            renderLabel={(v) => <CountryLabel code={v} />} testId="aud-countries" />
        </Grid>
        <Grid size={{ xs: 12, lg: 6 }}><UserTypeSplit /></Grid>
        {TABLES.map((t) => (
          <Grid key={t.testId} size={{ xs: 12, md: 6 }}>
            <ReportTable title={t.title} cube="sessions" dimension={t.dimension} dimensionLabel={t.label} filterKey={t.filterKey} columns={COLUMNS} testId={t.testId} />
          </Grid>
        ))}
      </Grid>
      <RetentionGrid />
    </Stack>
  );
}
