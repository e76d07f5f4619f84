// Splits a compareDateRange answer into its current and previous period (Cube's decompose()).
import type { ResultSet } from '@cubejs-client/core';

/**
 * [current, previous]. While the Compare switch flips, the answer still on screen may have the
 * other shape (one period or two): it is read as far as it fits, never paired wrongly.
 */
export function periods(resultSet: ResultSet | null, compare: boolean): [ResultSet | null, ResultSet | null] {
  if (!resultSet) return [null, null];
  const multi = (resultSet as unknown as { queryType?: string }).queryType === 'compareDateRangeQuery';
  if (!multi) return compare ? [null, null] : [resultSet, null];
  const [current, previous] = resultSet.decompose();
  return [current ?? null, compare ? previous ?? null : null];
}
