// The base data hook: useCubeQuery with the error decoded in one place; every report hook goes through it.
import { useEffect, useRef } from 'react';
import { useCubeQuery } from '@cubejs-client/react';
import type { Query, ResultSet } from '@cubejs-client/core';
import { decodeError, type DecodedError } from '../auth/decode-error.ts';

export type ReportState<T> = Readonly<{
  data: T | null;
  isLoading: boolean;
  error: DecodedError | null;
  refetch: () => void;
}>;

export type ReportQueryOptions = Readonly<{
  skip?: boolean;
  keepPrevious?: boolean;
  /** Re-run every this many ms even when the query is unchanged (useCubeQuery runs a query once). */
  pollMs?: number;
}>;

export function useReportQuery(query: Query, options: ReportQueryOptions = {}) {
  // The query object is the key: useCubeQuery compares it deeply, so every filter in it re-runs the query.
  const result = useCubeQuery(query as never, {
    skip: options.skip,
    resetResultSetOnChange: !options.keepPrevious,
  });
  const refetch = useRef(result.refetch);
  refetch.current = result.refetch;
  useEffect(() => {
    if (!options.pollMs || options.skip) return undefined;
    const id = window.setInterval(() => { void refetch.current(); }, options.pollMs);
    return () => window.clearInterval(id);
  }, [options.pollMs, options.skip]);
  const resultSet = (result.resultSet ?? null) as ResultSet | null;
  return {
    resultSet,
    isLoading: result.isLoading,
    error: result.error ? decodeError(result.error) : null,
    refetch: () => { void result.refetch(); },
  };
}
