// Edits the Explorer's own filters: member, Cube operator and comma-separated values.
import { Button, IconButton, MenuItem, Stack, TextField } from '@mui/material';
import Add from '@mui/icons-material/Add';
import Delete from '@mui/icons-material/Delete';
import type { ExplorerState } from './explorer-query.ts';
import type { MemberOption } from './member-picker.tsx';

const OPERATORS = ['equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'endsWith', 'gt', 'gte', 'lt', 'lte', 'set', 'notSet'] as const;

type Filters = ExplorerState['filters'];

export function FilterEditor({ filters, members, onChange }: { filters: Filters; members: readonly MemberOption[]; onChange: (f: Filters) => void }) {
  const set = (i: number, patch: Partial<Filters[number]>) => onChange(filters.map((f, j) => (j === i ? { ...f, ...patch } : f)));
  return (
    <Stack spacing={1}>
      {filters.map((f, i) => (
        <Stack key={i} direction={{ xs: 'column', sm: 'row' }} spacing={1}>
          <TextField select size="small" label="Member" value={f.member} onChange={(e) => set(i, { member: e.target.value })} sx={{ minWidth: 220 }}>
            {members.map((m) => <MenuItem key={m.name} value={m.name}>{m.title}</MenuItem>)}
          </TextField>
          <TextField select size="small" label="Operator" value={f.operator} onChange={(e) => set(i, { operator: e.target.value })} sx={{ minWidth: 140 }}>
            {OPERATORS.map((o) => <MenuItem key={o} value={o}>{o}</MenuItem>)}
          </TextField>
          {f.operator !== 'set' && f.operator !== 'notSet' && (
            <TextField size="small" label="Values (comma-separated)" value={f.values.join(',')} sx={{ flex: 1 }}
              onChange={(e) => set(i, { values: e.target.value.split(',').map((v) => v.trim()).filter(Boolean) })} />
          )}
          <IconButton aria-label="Remove filter" onClick={() => onChange(filters.filter((_, j) => j !== i))}><Delete /></IconButton>
        </Stack>
      ))}
      <Button startIcon={<Add />} size="small" sx={{ alignSelf: 'flex-start' }} disabled={members.length === 0}
        onClick={() => onChange([...filters, { member: members[0]!.name, operator: 'equals', values: [] }])}>Add filter</Button>
    </Stack>
  );
}
