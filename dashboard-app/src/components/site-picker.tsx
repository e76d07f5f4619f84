// Picks the site (app_id) every report is scoped to; the list comes from the data itself.
import { useState } from 'react';
import { MenuItem, TextField } from '@mui/material';
import { useSites } from '../queries/use-sites.ts';
import { useViewState } from '../state/view-state.ts';

const ALL = '__all__';

export function SitePicker() {
  const [view, update] = useViewState();
  const [wanted, setWanted] = useState(false);
  const sites = useSites(view, !wanted);
  const options = sites.data ?? [];
  const value = view.site ?? ALL;
  const known = view.site && !options.includes(view.site) ? [view.site, ...options] : options;
  return (
    <TextField
      select size="small" label="Site" value={value} sx={{ minWidth: 160 }}
      onChange={(e) => update({ site: e.target.value === ALL ? null : e.target.value })}
      helperText={sites.error ? 'Could not load sites' : undefined}
      slotProps={{ select: { inputProps: { 'data-testid': 'site-select' }, onOpen: () => setWanted(true) } }}
    >
      <MenuItem value={ALL}>All sites</MenuItem>
      {known.map((s) => <MenuItem key={s} value={s}>{s}</MenuItem>)}
      {wanted && sites.isLoading && <MenuItem disabled>Loading sites…</MenuItem>}
    </TextField>
  );
}
