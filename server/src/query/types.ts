// The normalised Cube query: what every later stage (planner, SQL renderer, pre-aggregation
// matcher, API result shaping) reads. Produced only by normalizeQuery, so it is always valid
// against the model it was normalised with.

export const GRANULARITIES = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type StandardGranularity = (typeof GRANULARITIES)[number];

export const FILTER_OPERATORS = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith',
  'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'onTheDate',
  'beforeDate', 'beforeOrOnDate', 'afterDate', 'afterOrOnDate', 'measureFilter',
] as const;
export type FilterOperator = (typeof FILTER_OPERATORS)[number];

/** Local wall-time strings in the query time zone, `YYYY-MM-DDTHH:mm:ss.SSS`, as Cube echoes them. */
export type DateRange = readonly [string, string];

export interface NormalizedTimeDimension {
  readonly dimension: string;
  /** A standard granularity or the name of a custom one defined on the dimension. */
  readonly granularity?: string;
  readonly dateRange?: DateRange;
  readonly compareDateRange?: readonly DateRange[];
}

export interface MemberFilter {
  readonly member: string;
  readonly operator: FilterOperator;
  /** Cube stringifies filter values; null is kept (equals null → IS NULL). */
  readonly values: readonly (string | null)[];
}
export interface AndFilter { readonly and: readonly NormalizedFilter[] }
export interface OrFilter { readonly or: readonly NormalizedFilter[] }
export type NormalizedFilter = MemberFilter | AndFilter | OrFilter;

export interface OrderItem { readonly id: string; readonly desc: boolean }

export interface NormalizedQuery {
  readonly measures: readonly string[];
  readonly dimensions: readonly string[];
  readonly segments: readonly string[];
  readonly timeDimensions: readonly NormalizedTimeDimension[];
  readonly filters: readonly NormalizedFilter[];
  readonly order: readonly OrderItem[];
  readonly limit: number;
  readonly offset?: number;
  readonly total: boolean;
  readonly timezone: string;
  readonly ungrouped: boolean;
  readonly renewQuery: boolean;
  readonly responseFormat?: 'default' | 'compact' | 'columnar';
  readonly cache?: 'stale-if-slow' | 'stale-while-revalidate' | 'must-revalidate' | 'no-cache';
  readonly joinHints?: readonly (readonly string[])[];
  /** 'compareDateRangeQuery' when a time dimension has compareDateRange: split it with expandCompareDateRange. */
  readonly queryType: 'regularQuery' | 'compareDateRangeQuery';
  /** Whether the order was given by the client or is Cube's default (the API echoes only given ones). */
  readonly defaultOrder: boolean;
}

export function isMemberFilter(f: NormalizedFilter): f is MemberFilter {
  return (f as MemberFilter).member !== undefined;
}
