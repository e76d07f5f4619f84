// Cube's query types: parses the `query` param (JSON text, object, or an array for data
// blending), splits compareDateRange into one query per range, and builds the `pivotQuery`
// the client pivots multi-results with.
import { UserError } from '../errors.ts';
import { toEchoQuery } from './cube-query.ts';
import type { Prepared } from './load-service.ts';

export type QueryType = 'regularQuery' | 'compareDateRangeQuery' | 'blendingQuery';

export function parseQueryParam(raw: unknown): Record<string, unknown> | Record<string, unknown>[] {
  if (raw === undefined || raw === null || raw === '') throw new UserError('query param is required');
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw new UserError(`Unable to decode query param as JSON, error: ${(error as Error).message}`);
    }
  }
  if (Array.isArray(value)) {
    if (value.length === 0) throw new UserError('Invalid query format: the query array is empty');
    if (!value.every((v) => v && typeof v === 'object' && !Array.isArray(v))) throw new UserError('Invalid query format: every query must be an object');
    return value as Record<string, unknown>[];
  }
  if (!value || typeof value !== 'object') throw new UserError('Invalid query format: the query must be a JSON object');
  return value as Record<string, unknown>;
}

/** One raw query per `compareDateRange` entry, each with that range as `dateRange`. */
export function splitCompareDateRange(query: Record<string, unknown>): Record<string, unknown>[] | null {
  const tds = Array.isArray(query.timeDimensions) ? query.timeDimensions as Record<string, unknown>[] : [];
  const index = tds.findIndex((td) => td && typeof td === 'object' && td.compareDateRange !== undefined);
  if (index < 0) return null;
  const ranges = tds[index]!.compareDateRange;
  if (!Array.isArray(ranges) || ranges.length === 0) throw new UserError('Invalid query format: "compareDateRange" must be a non-empty array of date ranges');
  return ranges.map((range) => {
    const { compareDateRange: _drop, ...td } = tds[index]!;
    return { ...query, timeDimensions: tds.map((t, i) => (i === index ? { ...td, dateRange: range } : t)) };
  });
}

export function checkBlendingGranularities(prepared: Prepared[]): void {
  const grans = new Set(prepared.map((p) => p.query.timeDimensions.find((td) => td.granularity)?.granularity));
  if (grans.size > 1 || grans.has(undefined)) {
    throw new UserError('Data blending query granularities must match');
  }
}

export function pivotQuery(queryType: QueryType, prepared: Prepared[]): Record<string, unknown> {
  const first = toEchoQuery(prepared[0]!.query);
  if (queryType === 'blendingQuery') {
    const uniq = (key: 'measures' | 'dimensions') => [...new Set(prepared.flatMap((p) => p.query[key]))];
    const td = prepared[0]!.query.timeDimensions.find((t) => t.granularity)!;
    return { ...first, measures: uniq('measures'), dimensions: uniq('dimensions'), timeDimensions: [{ dimension: 'time', granularity: td.granularity, dateRange: td.dateRange }], queryType };
  }
  if (queryType === 'compareDateRangeQuery') {
    return { ...first, dimensions: ['compareDateRange', ...(first.dimensions as string[])], queryType };
  }
  return { ...first, queryType };
}
