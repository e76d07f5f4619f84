// Retention cohorts: users grouped by their first week, and the share of them active in each later week.
import { Box, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { Panel } from '../../components/panel.tsx';
import { formatBucket } from '../../components/format.ts';
import { MAX_PERIODS, useRetention } from '../../queries/use-retention.ts';
import { useViewState } from '../../state/view-state.ts';

export function RetentionGrid() {
  const [view] = useViewState();
  const report = useRetention(view);
  const cohorts = report.data ?? [];
  const periods = Array.from({ length: MAX_PERIODS }, (_, i) => i);
  return (
    <Panel title="Retention by weekly cohort" subtitle="Share of each cohort's users active again N weeks after their first visit"
      isLoading={report.isLoading} error={report.error} onRetry={report.refetch} isEmpty={cohorts.length === 0} testId="aud-retention">
      <Box sx={{ overflowX: 'auto' }}>
        <Table size="small" aria-label="Retention cohorts" data-testid="retention-table">
          <TableHead>
            <TableRow>
              <TableCell>Cohort (week of)</TableCell>
              <TableCell align="right">Users</TableCell>
              {periods.map((p) => <TableCell key={p} align="center">Week {p}</TableCell>)}
            </TableRow>
          </TableHead>
          <TableBody>
            {cohorts.map((c) => (
              <TableRow key={c.cohort} data-cohort={c.cohort}>
                <TableCell sx={{ whiteSpace: 'nowrap' }}>{formatBucket(c.cohort, 'day')}</TableCell>
                <TableCell align="right" data-value={c.size}>{c.size.toLocaleString()}</TableCell>
                {periods.map((p) => {
                  const cell = c.cells.get(p);
                  const rate = cell ? (cell.rate > 1 ? cell.rate / 100 : cell.rate) : null;
                  return (
                    <TableCell key={p} align="center" data-period={p} data-value={rate ?? ''}
                      title={cell ? `${cell.users} users` : undefined}
                      sx={{ bgcolor: rate === null ? undefined : `rgba(59, 91, 219, ${(0.06 + rate * 0.85).toFixed(2)})`, color: rate !== null && rate > 0.5 ? '#fff' : undefined }}>
                      {rate === null ? '' : `${(rate * 100).toFixed(0)}%`}
                    </TableCell>
                  );
                })}
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
      <Typography variant="caption" color="text.secondary">Cohorts whose first week falls in the selected dates; weeks start on Monday (UTC).</Typography>
    </Panel>
  );
}
