// The Explorer's result: a chart of the selected type and the table, both from one ResultSet.
import { Box, Table, TableBody, TableCell, TableHead, TableRow, useTheme } from '@mui/material';
import type { ResultSet } from '@cubejs-client/core';
import { Bar, BarChart, CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ChartType } from './explorer-query.ts';
import { formatBucket } from '../../components/format.ts';

const COLORS = ['#3b5bdb', '#0ca678', '#f59f00', '#e03131', '#7048e8', '#1098ad', '#d6336c', '#5c940d'];

const GRANULARITIES = new Set(['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year']);

/** A time column's granularity from its key (`cube.member.granularity`), null for other columns. */
export function columnGranularity(column: { key: string; type?: string }): string | null {
  const suffix = column.key.slice(column.key.lastIndexOf('.') + 1);
  return column.type === 'time' || GRANULARITIES.has(suffix) ? (GRANULARITIES.has(suffix) ? suffix : 'second') : null;
}

/** Columns and rows as exported (CSV keeps Cube's values); `format` shows a cell as the table does. */
export function explorerTable(resultSet: ResultSet) {
  const columns = resultSet.tableColumns().map((c) => ({ key: c.key, title: c.shortTitle || c.title || c.key, granularity: columnGranularity({ key: c.key, type: String(c.type) }) }));
  const rows = resultSet.tablePivot() as Record<string, unknown>[];
  return { columns, rows };
}

function cellText(value: unknown, granularity: string | null): string {
  if (value === null) return '∅';
  const text = String(value ?? '');
  return granularity ? formatBucket(text, granularity, true) : text;
}

export function ExplorerResult({ resultSet, chart, granularity }: { resultSet: ResultSet; chart: ChartType; granularity: string | null }) {
  const theme = useTheme();
  const { columns, rows } = explorerTable(resultSet);
  const series = resultSet.seriesNames();
  const data = resultSet.chartPivot();
  const Chart = chart === 'bar' ? BarChart : LineChart;
  return (
    <Box>
      {chart !== 'table' && (
        <Box role="img" aria-label="Result chart" sx={{ height: 300, mb: 2 }}>
          <ResponsiveContainer width="100%" height="100%">
            <Chart data={data} margin={{ top: 8, right: 12, bottom: 0, left: 0 }}>
              <CartesianGrid strokeDasharray="3 3" vertical={false} stroke={theme.palette.divider} />
              <XAxis dataKey="x" tick={{ fontSize: 12 }} minTickGap={20} tickFormatter={(x: string) => formatBucket(String(x), granularity ?? undefined)} />
              <YAxis width={56} tick={{ fontSize: 12 }} />
              <Tooltip labelFormatter={(x) => formatBucket(String(x), granularity ?? undefined, true)} />
              <Legend verticalAlign="top" height={28} />
              {series.slice(0, 8).map((s, i) => (chart === 'bar'
                ? <Bar key={s.key} dataKey={s.key} name={s.shortTitle || s.title} fill={COLORS[i % COLORS.length]} isAnimationActive={false} />
                : <Line key={s.key} dataKey={s.key} name={s.shortTitle || s.title} stroke={COLORS[i % COLORS.length]} dot={false} strokeWidth={2} isAnimationActive={false} />))}
            </Chart>
          </ResponsiveContainer>
        </Box>
      )}
      <Box sx={{ overflowX: 'auto', maxHeight: 480 }}>
        <Table size="small" stickyHeader aria-label="Result table" data-testid="explorer-table">
          <TableHead><TableRow>{columns.map((c) => <TableCell key={c.key}>{c.title}</TableCell>)}</TableRow></TableHead>
          <TableBody>
            {rows.map((r, i) => (
              <TableRow key={i}>{columns.map((c) => <TableCell key={c.key} data-member={c.key} data-value={r[c.key] === null ? undefined : String(r[c.key] ?? '')}>{cellText(r[c.key], c.granularity)}</TableCell>)}</TableRow>
            ))}
          </TableBody>
        </Table>
      </Box>
    </Box>
  );
}
