// A panel holding one breakdown report: runs the query and renders the table with the shared states.
import type { ReactNode } from 'react';
import type { Query } from '@cubejs-client/core';
import { useBreakdown } from '../queries/use-breakdown.ts';
import type { CubeKey } from '../model/members.ts';
import { useViewState, type FilterKey } from '../state/view-state.ts';
import { BreakdownTable, type Column } from './breakdown-table.tsx';
import { Panel } from './panel.tsx';
import type { BreakdownRow } from '../queries/use-breakdown.ts';

export type ReportTableProps = Readonly<{
  title: string;
  cube: CubeKey;
  dimension: string;
  dimensionLabel: string;
  columns: readonly Column[];
  limit?: number;
  filterKey?: FilterKey;
  extraFilters?: Query['filters'];
  renderLabel?: (value: BreakdownRow[string], row: BreakdownRow) => ReactNode;
  testId?: string;
}>;

export function ReportTable({ title, cube, dimension, dimensionLabel, columns, limit = 10, filterKey, extraFilters, renderLabel, testId }: ReportTableProps) {
  const [view, update] = useViewState();
  const report = useBreakdown(cube, [dimension], columns.map((c) => c.member), view, { limit, extraFilters });
  return (
    <Panel
      title={title} isLoading={report.isLoading} error={report.error} onRetry={report.refetch}
      isEmpty={report.data?.length === 0} testId={testId}
    >
      {report.data && (
        <BreakdownTable
          rows={report.data} dimension={dimension} dimensionLabel={dimensionLabel} columns={columns}
          renderLabel={renderLabel} testId={testId ? `${testId}-table` : undefined}
          onSelect={filterKey ? (value) => update({ filters: { ...view.filters, [filterKey]: value } }) : undefined}
        />
      )}
    </Panel>
  );
}
