// Multi-select of model members (measures, dimensions or segments) from /meta, grouped by cube.
import { Autocomplete, TextField } from '@mui/material';

/** `title` is Cube's full title (cube + member), `shortTitle` the member's own, as /meta gives them. */
export type MemberOption = Readonly<{ name: string; title: string; shortTitle?: string; cube: string; type?: string }>;

/** Chips and options sit under their cube's name already, so they show the member's short title (Cube's shortTitle). */
export const memberLabel = (o: MemberOption) => o.shortTitle || o.title;

export function MemberPicker({ label, options, value, onChange, testId }: {
  label: string; options: readonly MemberOption[]; value: string[]; onChange: (v: string[]) => void; testId?: string;
}) {
  const selected = value.map((v) => options.find((o) => o.name === v) ?? { name: v, title: v, cube: v.split('.')[0] ?? '' });
  return (
    <Autocomplete
      multiple size="small" options={options as MemberOption[]} value={selected}
      groupBy={(o) => o.cube} getOptionLabel={memberLabel}
      isOptionEqualToValue={(a, b) => a.name === b.name}
      onChange={(_, v) => onChange(v.map((o) => o.name))}
      renderInput={(params) => <TextField {...params} label={label} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, 'data-testid': testId } }} />}
      sx={{ minWidth: 240, flex: 1 }}
    />
  );
}
