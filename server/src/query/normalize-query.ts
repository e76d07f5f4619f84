// Cube's query normalisation (api-gateway query.ts + date-parser): validates a raw query
// against the model and returns a frozen NormalizedQuery; every problem is a UserError in
// Cube's wording where Cube has one.
import { UserError } from '../errors.ts';
import type { CompiledModel } from '../model/types.ts';
import { parseDateRange } from './date-range.ts';
import { checkFilterDepth } from './filter-depth.ts';
import { normalizeFilters } from './normalize-filters.ts';
import { RAW_QUERY_KEYS, rawQuerySchema } from './query-schema.ts';
import { resolveDimension, resolveMeasure, resolveMember, resolveSegment } from './resolve-member.ts';
import { isValidTimeZone } from './time-zone.ts';
import { GRANULARITIES, type NormalizedQuery, type NormalizedTimeDimension, type OrderItem } from './types.ts';

export interface NormalizeOptions {
  /** Clock for relative date ranges (tests pin it). */
  readonly now?: Date;
  /** CUBEJS_DB_QUERY_DEFAULT_LIMIT (10000) and CUBEJS_DB_QUERY_LIMIT (50000). */
  readonly defaultLimit?: number;
  readonly maxLimit?: number;
  /**
   * Whether members with `public: false` (`shown: false`, primary keys by default) may be
   * selected: Cube answers them only in dev mode. Internal callers (pre-aggregation builds) may.
   */
  readonly allowHidden?: boolean;
}

function parseRaw(raw: unknown) {
  if (raw === null || raw === undefined || raw === '') throw new UserError('query param is required');
  const value = typeof raw === 'string' ? safeJson(raw) : raw;
  if (typeof value !== 'object' || Array.isArray(value) || value === null) throw new UserError('Invalid query format: query must be an object');
  for (const key of Object.keys(value)) {
    if (!RAW_QUERY_KEYS.has(key)) throw new UserError(`Invalid query format: "${key}" is not allowed`);
  }
  checkFilterDepth((value as { filters?: unknown }).filters);
  const parsed = rawQuerySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`Invalid query format: "${issue.path.join('.')}" ${issue.message}`);
  }
  return parsed.data;
}

function safeJson(s: string): unknown {
  try { return JSON.parse(s); } catch { throw new UserError('Invalid query format: query is not valid JSON'); }
}

function checkGranularity(model: CompiledModel, dimension: string, granularity: string): void {
  const dim = resolveDimension(model, dimension);
  if (dim.type !== 'time') throw new UserError(`'${dimension}' is not a time dimension: granularity '${granularity}' needs a dimension of type time`);
  if ((GRANULARITIES as readonly string[]).includes(granularity)) return;
  if (dim.granularities.some((g) => g.name === granularity)) return;
  throw new UserError(`Granularity '${granularity}' not found for time dimension '${dimension}'`);
}

export function normalizeQuery(raw: unknown, model: CompiledModel, opts: NormalizeOptions = {}): NormalizedQuery {
  const q = parseRaw(raw);
  const now = opts.now ?? new Date();
  const maxLimit = opts.maxLimit ?? 50_000;
  const timezone = q.timezone ?? 'UTC';
  if (!isValidTimeZone(timezone)) throw new UserError(`Unknown time zone: '${timezone}'`);

  const measures = [...new Set(q.measures ?? [])];
  measures.forEach((m) => resolveMeasure(model, m));
  const segments = [...new Set(q.segments ?? [])];
  segments.forEach((s) => resolveSegment(model, s));

  const timeDimensions: NormalizedTimeDimension[] = [];
  const dimensions: string[] = [];
  for (const d of q.dimensions ?? []) {
    const parts = d.split('.');
    if (parts.length === 3) {
      // Cube moves `Cube.time.granularity` from dimensions into timeDimensions.
      const dimension = `${parts[0]}.${parts[1]}`;
      checkGranularity(model, dimension, parts[2]);
      timeDimensions.push({ dimension, granularity: parts[2] });
      continue;
    }
    resolveDimension(model, d);
    if (!dimensions.includes(d)) dimensions.push(d);
  }

  let compare = false;
  for (const td of q.timeDimensions ?? []) {
    const dim = resolveDimension(model, td.dimension);
    if (dim.type !== 'time') throw new UserError(`'${td.dimension}' is not a time dimension`);
    if (td.granularity) checkGranularity(model, td.dimension, td.granularity);
    if (td.dateRange && td.compareDateRange) throw new UserError(`'${td.dimension}': use either dateRange or compareDateRange, not both`);
    const out: { -readonly [K in keyof NormalizedTimeDimension]: NormalizedTimeDimension[K] } = { dimension: td.dimension };
    if (td.granularity) out.granularity = td.granularity;
    if (td.dateRange) out.dateRange = parseDateRange(td.dateRange, timezone, now);
    if (td.compareDateRange) {
      out.compareDateRange = td.compareDateRange.map((r) => parseDateRange(r, timezone, now));
      compare = true;
    }
    timeDimensions.push(out);
  }

  const filters = normalizeFilters(q.filters ?? [], model, timezone, now);

  if (measures.length === 0 && dimensions.length === 0 && !timeDimensions.some((t) => t.granularity)) {
    throw new UserError('Query should contain either measures, dimensions or timeDimensions with granularities in order to be valid');
  }

  const limitRaw = q.limit ?? q.rowLimit;
  const limit = limitRaw === null || limitRaw === undefined ? (opts.defaultLimit ?? 10_000) : Number(limitRaw);
  if (limit > maxLimit) throw new UserError('The query limit has been exceeded.');
  const offset = q.offset === null || q.offset === undefined ? undefined : Number(q.offset);

  if (opts.allowHidden === false) {
    const selected = [...measures, ...dimensions, ...timeDimensions.filter((t) => t.granularity).map((t) => t.dimension)];
    const hidden = selected.find((m) => !resolveMember(model, m).public || model.cubes.get(m.split('.')[0]!)?.public === false);
    // Cube's wording (api-gateway transformData); filters and order on hidden members stay allowed there too.
    if (hidden) throw new UserError(`You requested hidden member: '${hidden}'. Please make it visible using \`shown: true\`. Please note primaryKey fields are \`shown: false\` by default: https://cube.dev/docs/schema/reference/joins#setting-a-primary-key.`);
  }

  const { order, defaultOrder } = normalizeOrder(q.order, measures, dimensions, timeDimensions);
  // Like Cube, an order on a member the query does not select is ignored when rendering, but the
  // member itself must exist (`Cube.time.granularity` ids are checked without the granularity).
  for (const o of order) resolveMember(model, o.id.split('.').slice(0, 2).join('.'));

  return deepFreeze({
    measures, dimensions, segments, timeDimensions, filters, order, limit,
    ...(offset !== undefined ? { offset } : {}),
    total: q.total ?? false, timezone, ungrouped: q.ungrouped ?? false, renewQuery: q.renewQuery ?? false,
    ...(q.responseFormat ? { responseFormat: q.responseFormat } : {}),
    ...(q.cache ? { cache: q.cache } : {}),
    ...(q.joinHints ? { joinHints: q.joinHints } : {}),
    queryType: compare ? 'compareDateRangeQuery' : 'regularQuery',
    defaultOrder,
  } satisfies NormalizedQuery);
}

function normalizeOrder(raw: unknown, measures: string[], dimensions: string[], tds: NormalizedTimeDimension[]): { order: OrderItem[]; defaultOrder: boolean } {
  if (raw !== undefined) {
    const pairs: [string, string][] = Array.isArray(raw)
      ? raw.map((o) => (Array.isArray(o) ? [o[0], o[1]] : [o.id, o.desc ? 'desc' : 'asc']))
      : Object.entries(raw as Record<string, string>);
    return { order: pairs.filter(([, d]) => d !== 'none').map(([id, d]) => ({ id, desc: d === 'desc' })), defaultOrder: false };
  }
  // Cube's default: first time dimension with granularity asc, else first measure desc, else first dimension asc.
  const td = tds.find((t) => t.granularity);
  if (td) return { order: [{ id: `${td.dimension}.${td.granularity}`, desc: false }], defaultOrder: true };
  if (measures.length) return { order: [{ id: measures[0], desc: true }], defaultOrder: true };
  if (dimensions.length) return { order: [{ id: dimensions[0], desc: false }], defaultOrder: true };
  return { order: [], defaultOrder: true };
}

export function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
