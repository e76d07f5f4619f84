// Realtime: who is on the site in the last 5 and 30 minutes, views per minute, and the top pages and sources now.
import { Box, Chip, Grid, Stack } from '@mui/material';
import { KpiCard } from '../../components/kpi-card.tsx';
import { Panel } from '../../components/panel.tsx';
import { BreakdownTable } from '../../components/breakdown-table.tsx';
import { REALTIME_POLL_MS, useWindowBreakdown, useWindowTotal } from '../../queries/use-realtime.ts';
import { EVENTS } from '../../model/members.ts';
import { lastMinutes, useNow } from '../../state/local-time.ts';
import { useViewState } from '../../state/view-state.ts';
import { MinuteChart } from './minute-chart.tsx';
import type { BreakdownRow } from '../../queries/use-breakdown.ts';

// Every 5 s: twice the required rate, so an event shows within seconds of its flush, not up to 10 s later.
// The windows are whole minutes, so the queries poll at this rate (use-realtime.ts) as well.
export const REFRESH_MS = REALTIME_POLL_MS;

export default function RealtimePage() {
  const [view, update] = useViewState();
  const now = useNow(REFRESH_MS);
  const last5 = lastMinutes(now, 5, view.timezone);
  const last30 = lastMinutes(now, 30, view.timezone);
  const active5 = useWindowTotal('events', EVENTS.users, last5, view);
  const active30 = useWindowTotal('events', EVENTS.users, last30, view);
  const pages = useWindowBreakdown('events', EVENTS.pagePath, EVENTS.users, last30, view, { onlySet: true });
  const sources = useWindowBreakdown('events', EVENTS.source, EVENTS.users, last30, view);
  const setFilter = (key: 'page' | 'source') => (value: string) => update({ filters: { ...view.filters, [key]: value } });
  return (
    <Stack spacing={2} data-testid="page-realtime">
      <Box><Chip size="small" color="success" label={`Live · updates every ${REFRESH_MS / 1000}s · ${now.toLocaleTimeString()}`} /></Box>
      {(active5.error ?? active30.error) && <Panel title="Active users" error={active5.error ?? active30.error} onRetry={() => { active5.refetch(); active30.refetch(); }} />}
      <Grid container spacing={1.5}>
        <Grid size={{ xs: 6, md: 3 }}><KpiCard id="active-5" label="Active users (5 min)" value={active5.data} /></Grid>
        <Grid size={{ xs: 6, md: 3 }}><KpiCard id="active-30" label="Active users (30 min)" value={active30.data} /></Grid>
      </Grid>
      <MinuteChart view={view} window={last30} />
      <Grid container spacing={2}>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Top pages right now" isLoading={pages.isLoading} error={pages.error} onRetry={pages.refetch} isEmpty={pages.data?.length === 0} testId="rt-pages">
            {pages.data && <BreakdownTable rows={pages.data as BreakdownRow[]} dimension={EVENTS.pagePath} dimensionLabel="Page" columns={[{ member: EVENTS.users, label: 'Users' }]} onSelect={setFilter('page')} testId="rt-pages-table" />}
          </Panel>
        </Grid>
        <Grid size={{ xs: 12, md: 6 }}>
          <Panel title="Top sources right now" isLoading={sources.isLoading} error={sources.error} onRetry={sources.refetch} isEmpty={sources.data?.length === 0} testId="rt-sources">
            {sources.data && <BreakdownTable rows={sources.data as BreakdownRow[]} dimension={EVENTS.source} dimensionLabel="Source" columns={[{ member: EVENTS.users, label: 'Users' }]} onSelect={setFilter('source')} testId="rt-sources-table" />}
          </Panel>
        </Grid>
      </Grid>
    </Stack>
  );
}
