// Hour / day / week / month switch for time charts; the choice is kept in the URL.
import { ToggleButton, ToggleButtonGroup } from '@mui/material';
import type { Granularity } from '../state/date-range.ts';
import { useViewState } from '../state/view-state.ts';

const OPTIONS: readonly Granularity[] = ['hour', 'day', 'week', 'month'];

export function GranularityToggle() {
  const [view, update] = useViewState();
  return (
    <ToggleButtonGroup
      size="small" exclusive value={view.granularity} aria-label="Granularity"
      onChange={(_, g: Granularity | null) => g && update({ granularity: g })}
    >
      {OPTIONS.map((g) => <ToggleButton key={g} value={g} sx={{ px: 1.25, py: 0.25 }}>{g}</ToggleButton>)}
    </ToggleButtonGroup>
  );
}
