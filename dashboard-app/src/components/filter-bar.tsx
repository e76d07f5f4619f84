// The global filters (country, device, source, page, campaign): chips to remove, a form to add.
import { useState } from 'react';
import { Box, Button, Chip, MenuItem, Popover, Stack, TextField } from '@mui/material';
import FilterList from '@mui/icons-material/FilterList';
import { FILTER_KEYS, useViewState, type FilterKey } from '../state/view-state.ts';
import { countryName } from './flag.ts';

export const FILTER_LABELS: Readonly<Record<FilterKey, string>> = {
  country: 'Country', device: 'Device', source: 'Source', page: 'Page', campaign: 'Campaign',
};

export function FilterBar() {
  const [view, update] = useViewState();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [key, setKey] = useState<FilterKey>('country');
  const [value, setValue] = useState('');
  const active = FILTER_KEYS.filter((k) => view.filters[k]);
  const remove = (k: FilterKey) => update({ filters: { ...view.filters, [k]: undefined } });
  const add = () => {
    if (!value.trim()) return;
    update({ filters: { ...view.filters, [key]: value.trim() } });
    setAnchor(null);
    setValue('');
  };
  return (
    <Stack direction="row" spacing={1} useFlexGap role="group" aria-label="Filters" sx={{ alignItems: 'center', flexWrap: 'wrap' }}>
      {active.map((k) => (
        <Chip
          key={k}
          label={`${FILTER_LABELS[k]}: ${k === 'country' ? countryName(view.filters[k]) : view.filters[k]}`}
          onDelete={() => remove(k)}
          color="primary" variant="outlined" size="small"
          data-testid={`filter-chip-${k}`}
        />
      ))}
      <Button size="small" startIcon={<FilterList />} onClick={(e) => setAnchor(e.currentTarget)} data-testid="add-filter">
        Add filter
      </Button>
      {active.length > 0 && <Button size="small" onClick={() => update({ filters: {} })}>Clear</Button>}
      <Popover open={!!anchor} anchorEl={anchor} onClose={() => setAnchor(null)} anchorOrigin={{ vertical: 'bottom', horizontal: 'left' }}>
        <Box component="form" sx={{ p: 2, display: 'flex', gap: 1, flexWrap: 'wrap', maxWidth: 360 }} onSubmit={(e) => { e.preventDefault(); add(); }}>
          <TextField select size="small" label="Dimension" value={key} onChange={(e) => setKey(e.target.value as FilterKey)} sx={{ minWidth: 130 }}>
            {FILTER_KEYS.map((k) => <MenuItem key={k} value={k}>{FILTER_LABELS[k]}</MenuItem>)}
          </TextField>
          <TextField
            size="small" label="equals" value={value} autoFocus onChange={(e) => setValue(e.target.value)}
            placeholder={key === 'country' ? 'e.g. DE' : key === 'page' ? '/pricing' : ''}
            slotProps={{ htmlInput: { 'data-testid': 'filter-value' } }}
          />
          <Button type="submit" variant="contained" size="small" data-testid="apply-filter">Apply</Button>
        </Box>
      </Popover>
    </Stack>
  );
}
