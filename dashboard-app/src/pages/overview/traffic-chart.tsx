// Users, sessions or views over time, with the previous period dashed and a granularity switch.
import { Stack, Tab, Tabs } from '@mui/material';
import { useSearchParams } from 'react-router-dom';
import { GranularityToggle } from '../../components/granularity-toggle.tsx';
import { Panel } from '../../components/panel.tsx';
import { TimeSeriesChart } from '../../components/time-series-chart.tsx';
import { useTimeSeries } from '../../queries/use-time-series.ts';
import { useComparable } from '../../queries/use-comparable.ts';
import { CHART_METRICS, chartMetricId } from './overview-queries.ts';
import type { ViewState } from '../../state/view-state.ts';

const METRICS = CHART_METRICS;

export function TrafficChart({ view }: { view: ViewState }) {
  const [params, setParams] = useSearchParams();
  const metricId = chartMetricId(params.get('metric'));
  const metric = METRICS[metricId]!;
  const series = useTimeSeries(metric.cube, metric.measures, view);
  const comparable = useComparable(view);
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
          <TimeSeriesChart points={series.data} member={metric.measures[0]!} label={metric.label} granularity={view.granularity} showPrevious={view.compare && comparable !== false} />
        )}
      </Stack>
    </Panel>
  );
}
