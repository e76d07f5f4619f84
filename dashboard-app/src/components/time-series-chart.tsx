// A line chart of one measure over time, with the previous period dashed beside it.
import { Box, useTheme } from '@mui/material';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { previousKey, type SeriesPoint } from '../queries/use-time-series.ts';
import { formatBucket, formatValue, type ValueFormat } from './format.ts';

export type TimeSeriesChartProps = Readonly<{
  points: readonly SeriesPoint[];
  member: string;
  label: string;
  granularity: string;
  format?: ValueFormat;
  showPrevious?: boolean;
  height?: number;
}>;

export function TimeSeriesChart({ points, member, label, granularity, format = 'number', showPrevious = true, height = 280 }: TimeSeriesChartProps) {
  const theme = useTheme();
  const summary = `${label} over time, ${points.length} points`;
  return (
    <Box role="img" aria-label={summary} sx={{ width: '100%', height }}>
      <ResponsiveContainer width="100%" height="100%">
        <LineChart data={points as SeriesPoint[]} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={theme.palette.divider} />
          <XAxis dataKey="x" tickFormatter={(x: string) => formatBucket(x, granularity)} tick={{ fontSize: 12 }} minTickGap={24} />
          <YAxis width={48} tick={{ fontSize: 12 }} tickFormatter={(v: number) => formatValue(v, format, true)} allowDecimals={false} />
          <Tooltip
            labelFormatter={(x) => formatBucket(String(x), granularity)}
            formatter={(v) => formatValue(Number(v), format)}
          />
          <Legend verticalAlign="top" height={28} iconType="plainline" />
          <Line type="monotone" dataKey={member} name={label} stroke={theme.palette.primary.main} strokeWidth={2} dot={false} isAnimationActive={false} />
          {showPrevious && (
            <Line type="monotone" dataKey={previousKey(member)} name="Previous period" stroke={theme.palette.text.secondary} strokeDasharray="5 4" strokeWidth={1.5} dot={false} isAnimationActive={false} />
          )}
        </LineChart>
      </ResponsiveContainer>
    </Box>
  );
}
