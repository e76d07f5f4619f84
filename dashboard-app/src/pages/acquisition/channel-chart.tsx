// Sessions by channel as horizontal bars: the first question of acquisition, answered at a glance.
import { Box, useTheme } from '@mui/material';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../../components/panel.tsx';
import { useBreakdown } from '../../queries/use-breakdown.ts';
import { toNumber } from '../../queries/numbers.ts';
import { SESSIONS } from '../../model/members.ts';
import { useViewState } from '../../state/view-state.ts';

const MEASURES = [SESSIONS.count] as const;
const DIMS = [SESSIONS.channel] as const;

export function ChannelChart() {
  const theme = useTheme();
  const [view] = useViewState();
  const report = useBreakdown('sessions', DIMS, MEASURES, view, { limit: 12 });
  const data = (report.data ?? []).map((r) => ({ channel: String(r[SESSIONS.channel] ?? '(not set)'), sessions: toNumber(r[SESSIONS.count]) }));
  return (
    <Panel title="Sessions by channel" isLoading={report.isLoading} loadingHeight={220} error={report.error} onRetry={report.refetch} isEmpty={data.length === 0}>
      <Box role="img" aria-label={`Sessions by channel: ${data.map((d) => `${d.channel} ${d.sessions}`).join(', ')}`} sx={{ height: Math.max(160, data.length * 34) }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} layout="vertical" margin={{ top: 0, right: 16, bottom: 0, left: 8 }}>
            <CartesianGrid strokeDasharray="3 3" horizontal={false} stroke={theme.palette.divider} />
            <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12 }} />
            <YAxis type="category" dataKey="channel" width={130} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="sessions" name="Sessions" fill={theme.palette.primary.main} isAnimationActive={false} radius={[0, 4, 4, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </Panel>
  );
}
