// Edits the ordered steps (an event name or a page path each) and the conversion window.
import { Button, IconButton, MenuItem, Stack, TextField, Typography } from '@mui/material';
import Add from '@mui/icons-material/Add';
import Delete from '@mui/icons-material/Delete';
import type { FunnelStepInput } from '../../api/funnels-api.ts';
import { WINDOWS } from './funnel-steps.ts';

export type FunnelBuilderProps = Readonly<{
  steps: readonly FunnelStepInput[];
  windowSeconds: number;
  onChange: (steps: FunnelStepInput[], windowSeconds: number) => void;
  onRun: () => void;
  running: boolean;
}>;

export function FunnelBuilder({ steps, windowSeconds, onChange, onRun, running }: FunnelBuilderProps) {
  const setStep = (i: number, patch: Partial<FunnelStepInput>) =>
    onChange(steps.map((s, j) => (j === i ? { ...s, ...patch } : s)), windowSeconds);
  return (
    <Stack spacing={1.5} component="form" onSubmit={(e) => { e.preventDefault(); onRun(); }} aria-label="Funnel steps">
      {steps.map((step, i) => (
        <Stack key={i} direction="row" spacing={1} sx={{ alignItems: 'center' }}>
          <Typography variant="body2" sx={{ width: 24, fontWeight: 700, color: 'text.secondary' }}>{i + 1}</Typography>
          <TextField select size="small" label="Step type" value={step.type} onChange={(e) => setStep(i, { type: e.target.value as FunnelStepInput['type'] })} sx={{ width: 120 }}>
            <MenuItem value="page">Page</MenuItem>
            <MenuItem value="event">Event</MenuItem>
          </TextField>
          <TextField size="small" label={step.type === 'page' ? 'Page path (* = any)' : 'Event name'} value={step.value} sx={{ flex: 1 }}
            onChange={(e) => setStep(i, { value: e.target.value })} slotProps={{ htmlInput: { 'data-testid': `funnel-step-${i}` } }} />
          <IconButton aria-label={`Remove step ${i + 1}`} disabled={steps.length <= 2} onClick={() => onChange(steps.filter((_, j) => j !== i), windowSeconds)}><Delete /></IconButton>
        </Stack>
      ))}
      <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
        <Button startIcon={<Add />} onClick={() => onChange([...steps, { type: 'event', value: '' }], windowSeconds)} disabled={steps.length >= 10}>Add step</Button>
        <TextField select size="small" label="Conversion window" value={windowSeconds} sx={{ width: 180 }}
          onChange={(e) => onChange([...steps], Number(e.target.value))}>
          {WINDOWS.map((w) => <MenuItem key={w.seconds} value={w.seconds}>{w.label}</MenuItem>)}
        </TextField>
        <Button type="submit" variant="contained" disabled={running || steps.some((s) => !s.value.trim())} data-testid="run-funnel">
          {running ? 'Running…' : 'Run funnel'}
        </Button>
      </Stack>
    </Stack>
  );
}
