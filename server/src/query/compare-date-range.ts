// compareDateRange: Cube runs one query per range (queryType compareDateRangeQuery); each copy
// carries that range as the time dimension's dateRange.
import { deepFreeze } from './normalize-query.ts';
import type { DateRange, NormalizedQuery } from './types.ts';

export function expandCompareDateRange(q: NormalizedQuery): { query: NormalizedQuery; dateRange: DateRange }[] {
  const idx = q.timeDimensions.findIndex((t) => t.compareDateRange);
  if (idx < 0) return [{ query: q, dateRange: q.timeDimensions.find((t) => t.dateRange)?.dateRange ?? ['', ''] }];
  const ranges = q.timeDimensions[idx].compareDateRange!;
  return ranges.map((dateRange) => {
    const { compareDateRange: _c, ...td } = q.timeDimensions[idx];
    const timeDimensions = q.timeDimensions.map((t, i) => (i === idx ? { ...td, dateRange } : t));
    return { query: deepFreeze({ ...q, timeDimensions, queryType: 'regularQuery' as const }), dateRange };
  });
}
