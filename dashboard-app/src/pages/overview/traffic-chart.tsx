// Users, sessions or views over time, with the previous period dashed and a granularity switch.
import { Stack, Tab, Tabs } from '@mui/material';
import { useSearchParams } from 'react-router-dom';
import { GranularityToggle } from '../../components/granularity-toggle.tsx';
import { Panel } from '../../components/panel.tsx';
import { TimeSeriesChart } from '../../components/time-series-chart.tsx';
import { useTimeSeries } from '../../queries/use-time-series.ts';
import { PAGE_VIEWS, SESSIONS, type CubeKey } from '../../model/members.ts';
import type { ViewState } from '../../state/view-state.ts';

const METRICS: Record<string, { label: string; cube: CubeKey; measures: readonly string[] }> = {
  users: { label: 'Users', cube: 'sessions', measures: [SESSIONS.users] },
  sessions: { label: 'Sessions', cube: 'sessions', measures: [SESSIONS.count] },
  views: { label: 'Views', cube: 'pageViews', measures: [PAGE_VIEWS.count] },
};

export function TrafficChart({ view }: { view: ViewState }) {
  const [params, setParams] = useSearchParams();
  const metricId = params.get('metric') && METRICS[params.get('metric')!] ? params.get('metric')! : 'users';
  const metric = METRICS[metricId]!;
  const series = useTimeSeries(metric.cube, metric.measures, view);
  const select = (id: string) => setParams((p) => { const n = new URLSearchParams(p); n.set('metric', id); return n; });
  return (
    <Panel
      title="Traffic over time" error={series.error} onRetry={series.refetch} isLoading={series.isLoading} loadingHeight={280}
      actions={<GranularityToggle />} testId="traffic-chart"
    >
      <Stack>
        <Tabs value={metricId} onChange={(_, v: string) => select(v)} aria-label="Metric" sx={{ minHeight: 36, mb: 1 }}>
          {Object.entries(METRICS).map(([id, m]) => <Tab key={id} value={id} label={m.label} sx={{ minHeight: 36, py: 0 }} />)}
        </Tabs>
        {series.data && (
          <TimeSeriesChart points={series.data} member={metric.measures[0]!} label={metric.label} granularity={view.granularity} showPrevious={view.compare} />
        )}
      </Stack>
    </Panel>
  );
}
