// Funnels: build ordered steps from pages and events, run them over the view's dates, compare, and reopen saved ones.
import { useEffect, useRef } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Alert, Grid, List, ListItemButton, ListItemText, Stack } from '@mui/material';
import { useAuth } from '../../auth/auth-gate.tsx';
import { Panel } from '../../components/panel.tsx';
import { EmptyState } from '../../components/states.tsx';
import { useViewState, type ViewFilters } from '../../state/view-state.ts';
import { FUNNEL_COLUMNS } from '../../model/members.ts';
import { FunnelBuilder } from './funnel-builder.tsx';
import { FunnelChart } from './funnel-chart.tsx';
import { parseSteps, serializeSteps } from './funnel-steps.ts';
import { useFunnel } from './use-funnel.ts';
import type { FunnelResult, FunnelStepInput } from '../../api/funnels-api.ts';

/** Funnels run on raw events: the view's country and device filters map to event columns; the session-scoped ones do not. */
function funnelFilters(filters: ViewFilters) {
  const out: { member: string; operator: 'equals'; values: string[] }[] = [];
  if (filters.country) out.push({ member: FUNNEL_COLUMNS.country, operator: 'equals', values: [filters.country] });
  if (filters.device) out.push({ member: FUNNEL_COLUMNS.device, operator: 'equals', values: [filters.device] });
  return out;
}

function savedSteps(f: FunnelResult): FunnelStepInput[] {
  const steps = (f.request as { steps?: { page?: string; event?: string }[] } | undefined)?.steps ?? [];
  return steps.flatMap((s): FunnelStepInput[] => (s.page ? [{ type: 'page', value: s.page }] : s.event ? [{ type: 'event', value: s.event }] : []));
}

export default function FunnelsPage() {
  const { token } = useAuth();
  const [view] = useViewState();
  const [params, setParams] = useSearchParams();
  const steps = parseSteps(params.get('steps'));
  const windowSeconds = Number(params.get('window')) || 86400;
  const funnel = useFunnel(token);
  const change = (next: FunnelStepInput[], w: number) => setParams((p) => {
    const n = new URLSearchParams(p);
    n.set('steps', serializeSteps(next));
    n.set('window', String(w));
    return n;
  });
  /** Reopening a saved funnel puts its steps in the URL, which runs it again on the current dates. */
  const reopen = (f: FunnelResult) => {
    const saved = savedSteps(f);
    if (saved.length >= 2) change(saved, Number((f.request as { windowSeconds?: number } | undefined)?.windowSeconds) || windowSeconds);
    else funnel.setResult(f);
  };
  const run = () => void funnel.run({
    name: steps.map((s) => s.value).join(' → '),
    steps, windowSeconds, dateRange: view.range,
    compareDateRange: view.compare ? view.previous : undefined,
    site: view.site, timezone: view.timezone, stepFilters: funnelFilters(view.filters),
  });
  // A shared link runs its funnel on open, and again whenever the view's dates or site change.
  const key = JSON.stringify([params.get('steps'), windowSeconds, view.range, view.compare, view.site, view.filters]);
  const last = useRef<string | null>(null);
  useEffect(() => {
    if (params.get('steps') && last.current !== key) { last.current = key; run(); }
  });
  return (
    <Grid container spacing={2} data-testid="page-funnels">
      <Grid size={{ xs: 12, lg: 8 }}>
        <Stack spacing={2}>
          <Panel title="Funnel steps"><FunnelBuilder steps={steps} windowSeconds={windowSeconds} onChange={change} onRun={() => { if (!params.get('steps')) change(steps, windowSeconds); else run(); }} running={funnel.running} /></Panel>
          {(view.filters.source || view.filters.page || view.filters.campaign) && (
            <Alert severity="info">Funnels follow events, so only the country and device filters apply here.</Alert>
          )}
          <Panel title="Conversion" isLoading={funnel.running && !funnel.result} error={funnel.error} onRetry={run} testId="funnel-result">
            {funnel.result ? <FunnelChart result={funnel.result} /> : !funnel.running && <EmptyState message="Define the steps and run the funnel." />}
          </Panel>
        </Stack>
      </Grid>
      <Grid size={{ xs: 12, lg: 4 }}>
        <Panel title="Saved funnels" isLoading={funnel.saved === null} isEmpty={funnel.saved?.length === 0} emptyMessage="Funnels you run are kept here.">
          <List dense>
            {funnel.saved?.map((f) => (
              <ListItemButton key={f.id} onClick={() => reopen(f)}>
                <ListItemText primary={f.name} secondary={f.createdAt ? new Date(f.createdAt).toLocaleString() : `${f.steps.length} steps`} />
              </ListItemButton>
            ))}
          </List>
        </Panel>
      </Grid>
    </Grid>
  );
}
