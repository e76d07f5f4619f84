// Conversions between the typed NormalizedQuery and Cube's plain-object query: the echo in
// `query` of a /v1/load result, and the mutable copy handed to `queryRewrite`.
import type { NormalizedQuery } from '../query/types.ts';

const clone = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)) as T);

/** What a user's queryRewrite sees (and may mutate, e.g. `query.filters.push(...)`). */
export function toRawQuery(q: NormalizedQuery): Record<string, unknown> {
  const raw: Record<string, unknown> = {
    measures: [...q.measures],
    dimensions: [...q.dimensions],
    segments: [...q.segments],
    timeDimensions: clone(q.timeDimensions),
    filters: clone(q.filters),
    limit: q.limit,
    timezone: q.timezone,
  };
  if (!q.defaultOrder) raw.order = q.order.map((o) => [o.id, o.desc ? 'desc' : 'asc']);
  if (q.offset !== undefined) raw.offset = q.offset;
  if (q.total) raw.total = true;
  if (q.ungrouped) raw.ungrouped = true;
  if (q.renewQuery) raw.renewQuery = true;
  if (q.responseFormat) raw.responseFormat = q.responseFormat;
  if (q.cache) raw.cache = q.cache;
  if (q.joinHints?.length) raw.joinHints = clone(q.joinHints);
  return raw;
}

/** Cube's normalised echo: `rowLimit`, `timezone`, `order` as `[{id, desc}]`, `queryType`. */
export function toEchoQuery(q: NormalizedQuery): Record<string, unknown> {
  const echo: Record<string, unknown> = {
    measures: [...q.measures],
    dimensions: [...q.dimensions],
    timeDimensions: clone(q.timeDimensions),
    filters: clone(q.filters),
  };
  if (q.segments.length) echo.segments = [...q.segments];
  echo.order = q.order.map((o) => ({ id: o.id, desc: o.desc }));
  echo.limit = q.limit;
  if (q.offset !== undefined) echo.offset = q.offset;
  if (q.total) echo.total = true;
  echo.timezone = q.timezone;
  if (q.ungrouped) echo.ungrouped = true;
  if (q.responseFormat) echo.responseFormat = q.responseFormat;
  echo.rowLimit = q.limit;
  echo.queryType = 'regularQuery';
  return echo;
}

/** Names of every cube a query touches (members, filters, segments, time dimensions). */
export function cubesOfQuery(q: NormalizedQuery): string[] {
  const names = new Set<string>();
  const add = (m: string) => names.add(m.split('.')[0]!);
  q.measures.forEach(add);
  q.dimensions.forEach(add);
  q.segments.forEach(add);
  q.timeDimensions.forEach((td) => add(td.dimension));
  const walk = (filters: NormalizedQuery['filters']) => {
    for (const f of filters) {
      if ('member' in f) add(f.member);
      else if ('and' in f) walk(f.and);
      else if ('or' in f) walk(f.or);
    }
  };
  walk(q.filters);
  return [...names];
}
