// Explorer: any measures, dimensions, segments and filters from /meta; chart or table; CSV export; shareable URL.
import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { Button, MenuItem, Stack, TextField, ToggleButton, ToggleButtonGroup } from '@mui/material';
import Download from '@mui/icons-material/Download';
import Share from '@mui/icons-material/Share';
import { useCubeMeta } from '@cubejs-client/react';
import type { TimeDimensionGranularity } from '@cubejs-client/core';
import { Panel } from '../../components/panel.tsx';
import { EmptyState } from '../../components/states.tsx';
import { decodeError } from '../../auth/decode-error.ts';
import { useReportQuery } from '../../queries/use-report-query.ts';
import { useViewState } from '../../state/view-state.ts';
import { parseExplorer, toCubeQuery, type ChartType, type ExplorerState } from './explorer-query.ts';
import { MemberPicker, type MemberOption } from './member-picker.tsx';
import { FilterEditor } from './filter-editor.tsx';
import { ExplorerResult, explorerTable } from './explorer-result.tsx';
import { downloadCsv, toCsv } from './csv.ts';

const GRANULARITIES: readonly TimeDimensionGranularity[] = ['hour', 'day', 'week', 'month', 'quarter', 'year'];

type MetaCube = { name: string; title?: string; measures: MemberOption[]; dimensions: (MemberOption & { type: string })[]; segments: MemberOption[] };

export default function ExplorerPage() {
  const [view] = useViewState();
  const [params, setParams] = useSearchParams();
  const state = parseExplorer(params.get('q'));
  const [copied, setCopied] = useState(false);
  const meta = useCubeMeta();
  const cubes = useMemo(() => ((meta.response?.meta as unknown as { cubes?: MetaCube[] })?.cubes ?? []), [meta.response]);
  const options = useMemo(() => {
    const opt = (cube: MetaCube, m: MemberOption) => ({ name: m.name, title: m.title, shortTitle: m.shortTitle, cube: cube.title ?? cube.name, type: m.type });
    return {
      measures: cubes.flatMap((c) => c.measures.map((m) => opt(c, m))),
      dimensions: cubes.flatMap((c) => c.dimensions.filter((d) => d.type !== 'time').map((d) => opt(c, d))),
      time: cubes.flatMap((c) => c.dimensions.filter((d) => d.type === 'time').map((d) => opt(c, d))),
      segments: cubes.flatMap((c) => c.segments.map((s) => opt(c, s))),
    };
  }, [cubes]);
  const query = toCubeQuery(state, view);
  const result = useReportQuery(query ?? { measures: [] }, { skip: !query });
  const update = (patch: Partial<ExplorerState>) => setParams((p) => {
    const n = new URLSearchParams(p);
    n.set('q', JSON.stringify({ ...state, ...patch }));
    return n;
  });
  const share = async () => {
    try { await navigator.clipboard.writeText(window.location.href); setCopied(true); } catch { setCopied(false); }
  };
  const exportCsv = () => {
    if (!result.resultSet) return;
    const { columns, rows } = explorerTable(result.resultSet);
    downloadCsv('webcube-export.csv', toCsv(columns, rows));
  };
  return (
    <Stack spacing={2} data-testid="page-explorer">
      <Panel title="Query" isLoading={meta.isLoading} error={meta.error ? decodeError(meta.error) : null}>
        <Stack spacing={1.5}>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
            <MemberPicker label="Measures" options={options.measures} value={state.measures} onChange={(v) => update({ measures: v })} testId="explorer-measures" />
            <MemberPicker label="Dimensions" options={options.dimensions} value={state.dimensions} onChange={(v) => update({ dimensions: v })} testId="explorer-dimensions" />
          </Stack>
          <Stack direction={{ xs: 'column', md: 'row' }} spacing={1}>
            <MemberPicker label="Segments" options={options.segments} value={state.segments} onChange={(v) => update({ segments: v })} />
            <TextField select size="small" label="Time dimension" value={state.timeDimension ?? ''} sx={{ minWidth: 200 }}
              onChange={(e) => update({ timeDimension: e.target.value || null })}>
              <MenuItem value="">None</MenuItem>
              {options.time.map((t) => <MenuItem key={t.name} value={t.name}>{t.title}</MenuItem>)}
            </TextField>
            <TextField select size="small" label="Granularity" value={state.granularity ?? ''} sx={{ minWidth: 130 }} disabled={!state.timeDimension}
              onChange={(e) => update({ granularity: (e.target.value || null) as TimeDimensionGranularity | null })}>
              <MenuItem value="">Total</MenuItem>
              {GRANULARITIES.map((g) => <MenuItem key={g} value={g}>{g}</MenuItem>)}
            </TextField>
          </Stack>
          <FilterEditor filters={state.filters} members={[...options.dimensions, ...options.measures]} onChange={(f) => update({ filters: f })} />
        </Stack>
      </Panel>
      <Panel
        title="Result" isLoading={!!query && result.isLoading} error={result.error} onRetry={result.refetch} testId="explorer-result"
        actions={(
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <ToggleButtonGroup size="small" exclusive value={state.chart} aria-label="Chart type" onChange={(_, c: ChartType | null) => c && update({ chart: c })}>
              <ToggleButton value="line">Line</ToggleButton>
              <ToggleButton value="bar">Bar</ToggleButton>
              <ToggleButton value="table">Table</ToggleButton>
            </ToggleButtonGroup>
            <Button size="small" startIcon={<Download />} onClick={exportCsv} disabled={!result.resultSet} data-testid="export-csv">CSV</Button>
            <Button size="small" startIcon={<Share />} onClick={share}>{copied ? 'Link copied' : 'Share'}</Button>
          </Stack>
        )}
      >
        {!query ? <EmptyState message="Pick at least one measure or dimension." />
          : result.resultSet && <ExplorerResult resultSet={result.resultSet} chart={state.chart} granularity={state.timeDimension ? state.granularity : null} />}
      </Panel>
    </Stack>
  );
}
