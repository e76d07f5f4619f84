// Date range presets, a custom from/to, and the compare-to-previous switch (on pages that draw a comparison).
import { FormControlLabel, MenuItem, Stack, Switch, TextField } from '@mui/material';
import { PRESETS, type RangePreset } from '../state/date-range.ts';
import { useViewState } from '../state/view-state.ts';

export function DateRangePicker({ showCompare = true }: { showCompare?: boolean }) {
  const [view, update] = useViewState();
  return (
    <Stack direction="row" spacing={1} useFlexGap sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      <TextField
        select size="small" label="Date range" value={view.preset} sx={{ minWidth: 150 }}
        onChange={(e) => update({ preset: e.target.value as RangePreset })}
        slotProps={{ select: { inputProps: { 'data-testid': 'range-select' } } }}
      >
        {PRESETS.map((p) => <MenuItem key={p.id} value={p.id}>{p.label}</MenuItem>)}
      </TextField>
      {view.preset === 'custom' && (
        <>
          <TextField
            type="date" size="small" label="From" value={view.range[0]}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: view.range[1], 'data-testid': 'range-from' } }}
            onChange={(e) => e.target.value && update({ range: [e.target.value, view.range[1]] })}
          />
          <TextField
            type="date" size="small" label="To" value={view.range[1]}
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { min: view.range[0], 'data-testid': 'range-to' } }}
            onChange={(e) => e.target.value && update({ range: [view.range[0], e.target.value] })}
          />
        </>
      )}
      {showCompare && <FormControlLabel
        control={<Switch size="small" checked={view.compare} onChange={(e) => update({ compare: e.target.checked })} />}
        label="Compare"
      />}
    </Stack>
  );
}
