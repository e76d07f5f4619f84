// The Overview's headline numbers, each with its change against the previous period.
import { Grid, Typography } from '@mui/material';
import { useSearchParams } from 'react-router-dom';
import { TrackerSnippet } from '../../components/tracker-snippet.tsx';
import { formatRange } from '../../state/date-range.ts';
import { KpiCard } from '../../components/kpi-card.tsx';
import { ErrorState } from '../../components/states.tsx';
import { useTotals } from '../../queries/use-totals.ts';
import { useComparable } from '../../queries/use-comparable.ts';
import { PAGE_VIEWS, SESSIONS } from '../../model/members.ts';
import { SESSION_KPIS, VIEW_KPIS } from './overview-queries.ts';
import type { ViewState } from '../../state/view-state.ts';
import type { ValueFormat } from '../../components/format.ts';


export const KPI_CARDS: readonly { id: string; label: string; member: string; format?: ValueFormat; lowerIsBetter?: boolean; source: 'sessions' | 'views' }[] = [
  { id: 'users', label: 'Users', member: SESSIONS.users, source: 'sessions' },
  { id: 'new-users', label: 'New users', member: SESSIONS.newUsers, source: 'sessions' },
  { id: 'sessions', label: 'Sessions', member: SESSIONS.count, source: 'sessions' },
  { id: 'views', label: 'Views', member: PAGE_VIEWS.count, source: 'views' },
  { id: 'engagement-rate', label: 'Engagement rate', member: SESSIONS.engagementRate, format: 'percent', source: 'sessions' },
  { id: 'bounce-rate', label: 'Bounce rate', member: SESSIONS.bounceRate, format: 'percent', lowerIsBetter: true, source: 'sessions' },
  { id: 'avg-engagement', label: 'Avg. engagement', member: SESSIONS.avgEngagementTime, format: 'duration', source: 'sessions' },
];

const CHART_METRICS = new Set(['users', 'sessions', 'views']);

export function KpiRow({ view }: { view: ViewState }) {
  const [params, setParams] = useSearchParams();
  const metric = params.get('metric') ?? 'users';
  // Users, sessions and views cards double as the chart's metric switch, as in GA.
  const selectMetric = (id: string) => setParams((p) => { const n = new URLSearchParams(p); n.set('metric', id); return n; });
  const sessions = useTotals('sessions', SESSION_KPIS, view);
  const views = useTotals('pageViews', VIEW_KPIS, view);
  // The percentages wait until it is known that the previous period lies within the data.
  const comparable = useComparable(view);
  const error = sessions.error ?? views.error;
  if (error) return <ErrorState error={error} onRetry={() => { sessions.refetch(); views.refetch(); }} />;
  return (
    <div>
    <Grid container spacing={1.5} data-testid="kpi-row">
      {KPI_CARDS.map((k) => {
        const totals = k.source === 'sessions' ? sessions.data : views.data;
        return (
          <Grid key={k.id} size={{ xs: 6, sm: 4, md: 3, lg: 12 / 7 }}>
            <KpiCard
              id={k.id} label={k.label} format={k.format} lowerIsBetter={k.lowerIsBetter}
              value={totals ? totals.current[k.member] ?? 0 : null}
              previous={totals?.previous && comparable ? totals.previous[k.member] : undefined}
              noPrevious={view.compare && comparable === false}
              {...(CHART_METRICS.has(k.id) ? { selected: metric === k.id, onSelect: () => selectMetric(k.id) } : {})}
            />
          </Grid>
        );
      })}
    </Grid>
    {sessions.data && sessions.data.current[SESSIONS.count] === 0 && Object.keys(view.filters).length === 0 && (
      <div style={{ marginTop: 16 }}><TrackerSnippet site={view.site} /></div>
    )}
    <Typography variant="caption" color="text.secondary" component="p" sx={{ mt: 0.75 }}>
      {`${formatRange(view.range)}${!view.compare ? '' : comparable === false
        ? `, no comparison: the data starts after ${formatRange(view.previous)} began` : `, changes against ${formatRange(view.previous)}`} · times in ${view.timezone}`}
    </Typography>
    </div>
  );
}
