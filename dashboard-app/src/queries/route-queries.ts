// The queries a page sends on its first render, known from the URL alone, for api/prefetch.ts.
import type { Query } from '@cubejs-client/core';
import { overviewQueries } from '../pages/overview/overview-queries.ts';
import { parseViewState } from '../state/view-state.ts';

export function routeQueries(pathname: string, search: string, now: Date = new Date()): Query[] {
  if (pathname !== '/') return [];
  const params = new URLSearchParams(search);
  return overviewQueries(parseViewState(params, now), params.get('metric'));
}
