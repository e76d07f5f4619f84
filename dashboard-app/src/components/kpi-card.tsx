// One headline metric with its change against the previous period (green when it moved the good way).
import { Box, Card, CardActionArea, CardContent, Skeleton, Typography } from '@mui/material';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import ArrowDownward from '@mui/icons-material/ArrowDownward';
import { change, formatValue, type ValueFormat } from './format.ts';

export type KpiCardProps = Readonly<{
  id: string;
  label: string;
  value: number | null;
  previous?: number;
  /** Comparing, but the data starts after the previous period began: no percentage to show. */
  noPrevious?: boolean;
  format?: ValueFormat;
  lowerIsBetter?: boolean;
  selected?: boolean;
  onSelect?: () => void;
}>;

export function KpiCard({ id, label, value, previous, noPrevious, format = 'number', lowerIsBetter, selected, onSelect }: KpiCardProps) {
  const delta = value === null ? null : change(value, previous);
  const good = delta !== null && delta !== 0 && (delta > 0) !== !!lowerIsBetter;
  const color = delta === null || delta === 0 ? 'text.secondary' : good ? 'success.main' : 'error.main';
  const content = (
    <CardContent sx={{ py: 1.5 }}>
      <Typography variant="caption" color="text.secondary" component="h3" noWrap title={label} sx={{ fontWeight: 500, display: 'block' }}>{label}</Typography>
      {value === null
        ? <Skeleton width="60%" height={36} />
        : <Typography variant="h5" component="p" sx={{ fontWeight: 700 }} data-testid={`kpi-${id}`} data-value={value}>
            {formatValue(value, format)}
          </Typography>}
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 0.5, color, minHeight: 20 }}>
        {delta !== null && delta > 0 && <ArrowUpward sx={{ fontSize: 14 }} aria-hidden />}
        {delta !== null && delta < 0 && <ArrowDownward sx={{ fontSize: 14 }} aria-hidden />}
        {delta !== null && (
          <Typography variant="caption" data-testid={`kpi-${id}-change`} title="Change against the previous period"
            aria-label={`${delta > 0 ? 'up' : delta < 0 ? 'down' : 'unchanged'} ${(Math.abs(delta) * 100).toFixed(1)}% against the previous period`}>
            {`${(Math.abs(delta) * 100).toFixed(1)}%`}
          </Typography>
        )}
        {delta === null && previous !== undefined && value !== null && <Typography variant="caption">—</Typography>}
        {noPrevious && value !== null && (
          <Typography variant="caption" data-testid={`kpi-${id}-no-previous`} title="The data starts after the previous period began">no data for the previous period</Typography>
        )}
      </Box>
    </CardContent>
  );
  return (
    <Card variant="outlined" sx={{ borderColor: selected ? 'primary.main' : undefined, borderWidth: selected ? 2 : 1, height: '100%' }}>
      {onSelect ? <CardActionArea onClick={onSelect} aria-pressed={selected}>{content}</CardActionArea> : content}
    </Card>
  );
}
