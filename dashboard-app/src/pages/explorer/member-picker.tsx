// Multi-select of model members (measures, dimensions or segments) from /meta, grouped by cube.
import { Autocomplete, TextField } from '@mui/material';

export type MemberOption = Readonly<{ name: string; title: string; cube: string; type?: string }>;

export function MemberPicker({ label, options, value, onChange, testId }: {
  label: string; options: readonly MemberOption[]; value: string[]; onChange: (v: string[]) => void; testId?: string;
}) {
  const selected = value.map((v) => options.find((o) => o.name === v) ?? { name: v, title: v, cube: v.split('.')[0] ?? '' });
  return (
    <Autocomplete
      multiple size="small" options={options as MemberOption[]} value={selected}
      groupBy={(o) => o.cube} getOptionLabel={(o) => o.title}
      isOptionEqualToValue={(a, b) => a.name === b.name}
      onChange={(_, v) => onChange(v.map((o) => o.name))}
      renderInput={(params) => <TextField {...params} label={label} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': testId } }} />}
      sx={{ minWidth: 240, flex: 1 }}
    />
  );
}
