// Views per minute over the last 30 minutes, as bars.
import { Box, useTheme } from '@mui/material';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../../components/panel.tsx';
import { formatBucket } from '../../components/format.ts';
import { useWindowSeries, type RealtimeWindow } from '../../queries/use-realtime.ts';
import { EVENTS } from '../../model/members.ts';
import type { ViewState } from '../../state/view-state.ts';

export function MinuteChart({ view, window }: { view: ViewState; window: RealtimeWindow }) {
  const theme = useTheme();
  // From the events cube, like the active-user cards beside it: one source, one freshness. The
  // page_views cube reads its original_sql tables until its own realtime rollup is built, so
  // right after a start it lagged (or missed) what the events cube already counted.
  const series = useWindowSeries('events', EVENTS.pageViews, window, view);
  const total = series.data?.reduce((s, p) => s + p.value, 0) ?? 0;
  return (
    <Panel title="Views per minute" subtitle={`${total} ${total === 1 ? 'view' : 'views'} in the last 30 minutes`} isLoading={series.isLoading} loadingHeight={200} error={series.error} onRetry={series.refetch} testId="rt-minutes">
      <Box role="img" aria-label={`Views per minute, ${total} in the last 30 minutes`} sx={{ height: 200 }} data-testid="rt-minutes-total" data-value={total}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={series.data ?? []} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={theme.palette.divider} />
            <XAxis dataKey="x" tickFormatter={(x: string) => formatBucket(x, 'minute')} tick={{ fontSize: 11 }} minTickGap={20} />
            <YAxis width={32} allowDecimals={false} tick={{ fontSize: 11 }} />
            <Tooltip labelFormatter={(x) => formatBucket(String(x), 'minute')} />
            <Bar dataKey="value" name="Views" fill={theme.palette.primary.main} isAnimationActive={false} radius={[3, 3, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </Panel>
  );
}
