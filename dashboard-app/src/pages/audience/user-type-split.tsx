// New vs returning users: a donut with the share of each, plus their sessions.
import { Box, Stack, Typography, useTheme } from '@mui/material';
import { Cell, Pie, PieChart, ResponsiveContainer, Tooltip } from 'recharts';
import { Panel } from '../../components/panel.tsx';
import { useBreakdown } from '../../queries/use-breakdown.ts';
import { toNumber } from '../../queries/numbers.ts';
import { SESSIONS } from '../../model/members.ts';
import { useViewState } from '../../state/view-state.ts';

const DIMS = [SESSIONS.userType] as const;
const MEASURES = [SESSIONS.users, SESSIONS.count] as const;

export function UserTypeSplit() {
  const theme = useTheme();
  const [view] = useViewState();
  const report = useBreakdown('sessions', DIMS, MEASURES, view);
  const data = (report.data ?? []).map((r) => ({ name: String(r[SESSIONS.userType] ?? '(not set)'), users: toNumber(r[SESSIONS.users]), sessions: toNumber(r[SESSIONS.count]) }));
  const colors = [theme.palette.primary.main, theme.palette.secondary.main, theme.palette.warning.main];
  const total = data.reduce((s, d) => s + d.users, 0) || 1;
  return (
    <Panel title="New vs returning" isLoading={report.isLoading} loadingHeight={220} error={report.error} onRetry={report.refetch} isEmpty={data.length === 0} testId="aud-user-type">
      <Stack direction={{ xs: 'column', sm: 'row' }} spacing={2} sx={{ alignItems: 'center' }}>
        <Box role="img" aria-label={data.map((d) => `${d.name}: ${d.users} users`).join(', ')} sx={{ width: 200, height: 200 }}>
          <ResponsiveContainer width="100%" height="100%">
            <PieChart>
              <Pie data={data} dataKey="users" nameKey="name" innerRadius={55} outerRadius={90} isAnimationActive={false}>
                {data.map((d, i) => <Cell key={d.name} fill={colors[i % colors.length]} />)}
              </Pie>
              <Tooltip />
            </PieChart>
          </ResponsiveContainer>
        </Box>
        <Stack spacing={1}>
          {data.map((d, i) => (
            <Box key={d.name}>
              <Typography variant="body2" sx={{ fontWeight: 600, color: colors[i % colors.length], textTransform: 'capitalize' }}>{d.name}</Typography>
              <Typography variant="body2" color="text.secondary">
                {d.users.toLocaleString()} users ({((d.users / total) * 100).toFixed(1)}%) · {d.sessions.toLocaleString()} sessions
              </Typography>
            </Box>
          ))}
        </Stack>
      </Stack>
    </Panel>
  );
}
