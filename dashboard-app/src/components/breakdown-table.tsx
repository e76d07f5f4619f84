// A ranked report table: a label column, measure columns, a share bar, and click-a-row to filter by it.
import type { ReactNode } from 'react';
import { Box, Table, TableBody, TableCell, TableHead, TableRow } from '@mui/material';
import type { BreakdownRow } from '../queries/use-breakdown.ts';
import { toNumber } from '../queries/numbers.ts';
import { formatValue, type ValueFormat } from './format.ts';

export type Column = Readonly<{ member: string; label: string; format?: ValueFormat }>;

export type BreakdownTableProps = Readonly<{
  rows: readonly BreakdownRow[];
  dimension: string;
  dimensionLabel: string;
  columns: readonly Column[];
  renderLabel?: (value: BreakdownRow[string], row: BreakdownRow) => ReactNode;
  onSelect?: (value: string) => void;
  testId?: string;
}>;

export function BreakdownTable({ rows, dimension, dimensionLabel, columns, renderLabel, onSelect, testId }: BreakdownTableProps) {
  const barMember = columns[0]?.member;
  const max = Math.max(1, ...rows.map((r) => (barMember ? toNumber(r[barMember]) : 0)));
  return (
    <Box sx={{ overflowX: 'auto' }}>
      <Table size="small" data-testid={testId} aria-label={dimensionLabel}>
        <TableHead>
          <TableRow>
            <TableCell>{dimensionLabel}</TableCell>
            {columns.map((c) => <TableCell key={c.member} align="right">{c.label}</TableCell>)}
          </TableRow>
        </TableHead>
        <TableBody>
          {rows.map((row, i) => {
            const raw = row[dimension];
            const value = raw === null || raw === undefined || raw === '' ? null : String(raw);
            const share = barMember ? toNumber(row[barMember]) / max : 0;
            const clickable = !!onSelect && value !== null;
            return (
              <TableRow
                key={`${value}-${i}`}
                hover={clickable}
                data-row-label={value ?? ''}
                onClick={clickable ? () => onSelect!(value!) : undefined}
                onKeyDown={clickable ? (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onSelect!(value!); } } : undefined}
                tabIndex={clickable ? 0 : undefined}
                aria-label={clickable ? `Filter by ${value}` : undefined}
                sx={{ cursor: clickable ? 'pointer' : undefined }}
              >
                <TableCell sx={{ position: 'relative', maxWidth: 320, overflow: 'hidden', textOverflow: 'ellipsis', whiteSpace: 'nowrap' }}>
                  <Box aria-hidden sx={{ position: 'absolute', inset: '4px auto 4px 0', width: `${share * 100}%`, bgcolor: 'primary.main', opacity: 0.08, borderRadius: 1 }} />
                  <Box component="span" sx={{ position: 'relative' }} title={value ?? undefined}>
                    {renderLabel ? renderLabel(raw, row) : (value ?? '(not set)')}
                  </Box>
                </TableCell>
                {columns.map((c) => {
                  const n = toNumber(row[c.member]);
                  return <TableCell key={c.member} align="right" data-member={c.member} data-value={n}>{formatValue(n, c.format, true)}</TableCell>;
                })}
              </TableRow>
            );
          })}
        </TableBody>
      </Table>
    </Box>
  );
}
