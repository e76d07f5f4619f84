// Step conversion as bars (users who reached each step), with drop-off and the previous period beside them.
import { Box, Table, TableBody, TableCell, TableHead, TableRow, useTheme } from '@mui/material';
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { FunnelResult } from '../../api/funnels-api.ts';
import { formatDuration } from '../../components/format.ts';

const pct = (v: number) => `${((v > 1 ? v / 100 : v) * 100).toFixed(1)}%`;

export function FunnelChart({ result }: { result: FunnelResult }) {
  const theme = useTheme();
  const data = result.steps.map((s, i) => ({
    name: `${i + 1}. ${s.name}`,
    users: s.completed,
    // Drop-off stacked on top: the bar's full height is the previous step's users.
    dropped: i === 0 ? 0 : Math.max(0, result.steps[i - 1]!.completed - s.completed),
    previous: result.compare?.[i]?.completed,
  }));
  return (
    <Box>
      <Box role="img" aria-label={`Funnel: ${data.map((d) => `${d.name} ${d.users}`).join(', ')}`} sx={{ height: 260 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 8, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={theme.palette.divider} />
            <XAxis dataKey="name" tick={{ fontSize: 12 }} interval={0} />
            <YAxis width={48} allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Legend verticalAlign="top" height={28} />
            <Bar dataKey="users" name="Users" stackId="now" fill={theme.palette.primary.main} isAnimationActive={false} />
            <Bar dataKey="dropped" name="Dropped off" stackId="now" fill={theme.palette.error.light} fillOpacity={0.35} isAnimationActive={false} radius={[4, 4, 0, 0]} />
            {result.compare && <Bar dataKey="previous" name="Previous period" fill={theme.palette.grey[400]} isAnimationActive={false} radius={[4, 4, 0, 0]} />}
          </BarChart>
        </ResponsiveContainer>
      </Box>
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Funnel steps" data-testid="funnel-table">
          <TableHead>
            <TableRow>
              <TableCell>Step</TableCell>
              <TableCell align="right">Users</TableCell>
              <TableCell align="right">From previous</TableCell>
              <TableCell align="right">Drop-off</TableCell>
              <TableCell align="right">From first</TableCell>
              <TableCell align="right">Median time</TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {result.steps.map((s, i) => {
              const prev = i === 0 ? s.completed : result.steps[i - 1]!.completed;
              return (
                <TableRow key={i}>
                  <TableCell>{`${i + 1}. ${s.name}`}</TableCell>
                  <TableCell align="right" data-value={s.completed}>{s.completed.toLocaleString()}</TableCell>
                  <TableCell align="right">{i === 0 ? '—' : pct(s.conversionFromPrevious)}</TableCell>
                  <TableCell align="right">{i === 0 ? '—' : (prev - s.completed).toLocaleString()}</TableCell>
                  <TableCell align="right">{pct(s.conversionFromFirst)}</TableCell>
                  <TableCell align="right">{i === 0 || s.medianSecondsToConvert === null ? '—' : formatDuration(s.medianSecondsToConvert)}</TableCell>
                </TableRow>
              );
            })}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
