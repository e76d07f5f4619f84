// How far down pages people scroll: page views per scroll-depth bucket.
import { Box, useTheme } from '@mui/material';
import { Bar, BarChart, CartesianGrid, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { Panel } from '../../components/panel.tsx';
import { useBreakdown } from '../../queries/use-breakdown.ts';
import { toNumber } from '../../queries/numbers.ts';
import { PAGE_VIEWS } from '../../model/members.ts';
import type { ViewState } from '../../state/view-state.ts';

const DIMS = [PAGE_VIEWS.scrollBucket] as const;
const MEASURES = [PAGE_VIEWS.count] as const;

export function ScrollDepth({ view }: { view: ViewState }) {
  const theme = useTheme();
  const report = useBreakdown('pageViews', DIMS, MEASURES, view, { limit: 20, orderBy: PAGE_VIEWS.scrollBucket });
  const data = (report.data ?? [])
    .map((r) => ({ bucket: String(r[PAGE_VIEWS.scrollBucket] ?? '(none)'), views: toNumber(r[PAGE_VIEWS.count]) }))
    .sort((a, b) => a.bucket.localeCompare(b.bucket, undefined, { numeric: true }));
  return (
    <Panel title="Scroll depth" subtitle="Page views by deepest scroll" isLoading={report.isLoading} loadingHeight={220} error={report.error} onRetry={report.refetch} isEmpty={data.length === 0}>
      <Box role="img" aria-label={`Scroll depth: ${data.map((d) => `${d.bucket} ${d.views}`).join(', ')}`} sx={{ height: 220 }}>
        <ResponsiveContainer width="100%" height="100%">
          <BarChart data={data} margin={{ top: 4, right: 8, bottom: 0, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={theme.palette.divider} />
            <XAxis dataKey="bucket" tick={{ fontSize: 12 }} />
            <YAxis width={40} allowDecimals={false} tick={{ fontSize: 12 }} />
            <Tooltip />
            <Bar dataKey="views" name="Views" fill={theme.palette.secondary.main} isAnimationActive={false} radius={[4, 4, 0, 0]} />
          </BarChart>
        </ResponsiveContainer>
      </Box>
    </Panel>
  );
}
