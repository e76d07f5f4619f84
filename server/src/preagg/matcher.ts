// Decides whether a built rollup can answer a normalised query (Cube's
// canUsePreAggregationForTransformedQuery, made strict so answers never differ from the source):
// members, filters and segments must be in the rollup, the granularity derivable from the
// rollup's, date ranges aligned to its buckets, and non-additive measures need an exact match.
// avg measures re-aggregate from their stored sum and count; a calculated (`number`) measure
// built only from other measures is answered from those (Cube's leaf measures).
// count_distinct_approx merges the rollup's HyperLogLog sketch rows at any coarser grain (hll.ts);
// count_distinct stays exact-match unless a rollup dimension holds its values (distinctKey).
import type { CompiledModel, Measure, Member, PreAggregation } from '../model/types.ts';
import type { PreAggMatch } from '../planner/types.ts';
import type { NormalizedFilter, NormalizedQuery } from '../query/types.ts';
import type { BuildRecord } from './build-log.ts';
import { matchCandidates } from './candidates.ts';
import { routedQuery, sameJoinRoutes } from './join-routes.ts';
import { rollupColumns, sketchRank } from './rollup-columns.ts';
import { addGranularity, formatLocal, isDerivable, nowInZone, parseLocal, truncate, type Granularity } from './time.ts';

/**
 * Re-aggregatable without changing the answer: sum of counts/sums, min of mins, max of maxes, avg
 * via sum/count; count_distinct_approx by merging sketches (the same estimate as one sketch over
 * the answer row's values).
 */
const ADDITIVE = new Set(['count', 'sum', 'min', 'max', 'avg', 'countDistinctApprox']);
const CALCULATED = new Set(['number', 'string', 'boolean', 'time']);

/**
 * How a rollup holding `paMeasures` answers measure `path`: 'additive' at any coarser grain,
 * 'exact' only at the rollup's own grain, null not at all. A calculated measure whose SQL
 * references only measures is answered from them, as the renderer computes it over the
 * re-aggregated columns (render-pre-agg.ts); it is as good as its weakest reference.
 */
export function measureCoverage(model: CompiledModel, path: string, paMeasures: ReadonlySet<string>, depth = 0,
  paDims: readonly string[] = []): 'additive' | 'exact' | null {
  const m = model.members.get(path);
  // Multi-stage measures are computed over stages of the source query (Cube: not accelerated by pre-aggregations).
  if (!m || m.kind !== 'measure' || m.cumulative || m.rollingWindow || m.multiStage || depth > 8) return null;
  if (distinctKey(model, m, paDims, paMeasures)) return 'additive';
  const refs = calculatedRefs(model, m);
  if (refs) {
    const cs = refs.map((r) => measureCoverage(model, r, paMeasures, depth + 1, paDims));
    if (cs.every((c) => c === 'additive')) return 'additive';
    // At the rollup's own grain, read the stored value or compute it from exact columns.
    if (!paMeasures.has(path)) return cs.includes(null) ? null : 'exact';
  }
  if (!paMeasures.has(path)) return null;
  return ADDITIVE.has(m.type) ? 'additive' : 'exact';
}

/**
 * The rollup dimension holding a count_distinct measure's values (same cube, same SQL): counting
 * its distinct values over the rollup rows of an answer row counts exactly the distinct values
 * of the source rows behind them, at any coarser grain. A measure with filters also needs the
 * rollup's `count` measure with the same filters (`when`): a rollup row holds a value that
 * passes them exactly when that count is above 0, as the key is one of the row's dimensions.
 */
export function distinctKey(model: CompiledModel, m: Measure, paDims: readonly string[],
  paMeasures: Iterable<string> = []): string | null {
  return distinctKeyOf(model, m, paDims, paMeasures)?.key ?? null;
}

export function distinctKeyOf(model: CompiledModel, m: Measure, paDims: readonly string[],
  paMeasures: Iterable<string> = []): { key: string; when?: string } | null {
  if (m.type !== 'countDistinct' || !m.sql) return null;
  let when: string | undefined;
  if (m.filters.length) {
    const filters = JSON.stringify(m.filters);
    for (const p of paMeasures) {
      const c = model.members.get(p);
      if (c?.kind === 'measure' && c.type === 'count' && c.cube === m.cube && !c.sql && JSON.stringify(c.filters) === filters) { when = p; break; }
    }
    if (!when) return null;
  }
  const sql = JSON.stringify(m.sql);
  for (const d of paDims) {
    const dim = model.members.get(d);
    if (dim?.kind === 'dimension' && dim.cube === m.cube && dim.sql && !dim.subQuery && JSON.stringify(dim.sql) === sql) return when ? { key: d, when } : { key: d };
  }
  return null;
}

/** The measures a calculated measure's SQL references, or null if it is not built from measures only. */
function calculatedRefs(model: CompiledModel, m: Measure): string[] | null {
  if (!CALCULATED.has(m.type) || !m.sql || m.filters.length) return null;
  const refs: string[] = [];
  for (const p of m.sql) {
    if (typeof p === 'string') continue;
    if (p.type !== 'member') return null;
    const path = resolve(model, `${p.cube}.${p.member}`);
    if (model.members.get(path)?.kind !== 'measure') return null;
    refs.push(path);
  }
  return refs.length ? refs : null;
}

export interface BuiltState {
  /** Live builds of the current structure version for (preAgg, timezone), newest first. */
  builds(preAgg: string, timezone: string): readonly BuildRecord[];
  /** Fresh lambda tail table for (preAgg, timezone) starting at `from`, if one is ready. */
  tail(preAgg: string, timezone: string, from: string): string | undefined;
  /** Qualifies a table name with the pre-aggregation schema. */
  qualify(table: string): string;
  /** True when data arrived after `build` that its refresh key sees (stale-builds.ts). */
  stale?(pa: PreAggregation, build: BuildRecord): boolean;
  readonly dialect: string;
}

function resolve(model: CompiledModel, path: string): string {
  let m: Member | undefined = model.members.get(path);
  for (let i = 0; i < 8 && m?.aliasOf; i++) {
    path = m.aliasOf.member;
    m = model.members.get(path);
  }
  return path;
}

function filterMembers(fs: readonly NormalizedFilter[], out: string[] = []): string[] {
  for (const f of fs) {
    if ('member' in f) out.push(f.member);
    else if ('and' in f) filterMembers(f.and, out);
    else filterMembers(f.or, out);
  }
  return out;
}

const isBucketStart = (s: string, g: Granularity) => formatLocal(truncate(parseLocal(s), g)) === formatLocal(parseLocal(s));
const isBucketEnd = (s: string, g: Granularity) => isBucketStart(formatLocal(new Date(parseLocal(s).getTime() + 1)), g);

/**
 * The tables and lambda tail that cover [from, to] (inclusive local), or null if a partition is
 * missing, or one is `stale`: newer data the source already shows is not hidden behind it.
 */
export function coveringTables(pa: PreAggregation, builds: readonly BuildRecord[], range: readonly [string, string] | undefined, lambda = false,
  stale: (b: BuildRecord) => boolean = () => false) {
  const byStart = new Map<string, BuildRecord>();
  for (const b of builds) if (!byStart.has(b.partitionStart)) byStart.set(b.partitionStart, b);
  if (!pa.partitionGranularity) {
    const b = byStart.get('');
    return b && !stale(b) ? { tables: [b], dataUntil: b.dataUntil } : null;
  }
  const parts = [...byStart.values()].filter((b) => b.partitionStart !== '').sort((a, b) => a.partitionStart.localeCompare(b.partitionStart));
  if (parts.length === 0) return null;
  const g = pa.partitionGranularity as Granularity;
  // Every partition between the first and the last built must be there: no silent holes.
  for (let s = parseLocal(parts[0]!.partitionStart), i = 0; i < parts.length; s = addGranularity(s, g), i++) {
    if (parts[i]!.partitionStart !== formatLocal(s)) return null;
  }
  // Past the last built partition only a lambda tail may answer, and only from where that
  // partition's data ends: while a first refresh is under way (oldest partitions first) the
  // newest days are not built yet, and the source must answer rather than an empty table. A last
  // partition that held its own build time is the newest there is: past it lies only the future
  // (a range ending tomorrow, this month), which the rollup answers as Cube does.
  const last = parts[parts.length - 1]!;
  const newest = last.partitionEnd >= formatLocal(nowInZone(last.timezone, new Date(last.builtAt)));
  if (range && range[1] > last.partitionEnd && !newest && !(lambda && last.dataUntil)) return null;
  // Data that arrived after the last build may lie past it (a new day) as well as in it.
  if (range && range[1] > last.partitionEnd && stale(last)) return null;
  const chosen = range ? parts.filter((b) => b.partitionEnd >= range[0] && b.partitionStart <= range[1]) : parts;
  if (chosen.some(stale)) return null;
  return { tables: chosen.length ? chosen : [parts[0]!], dataUntil: last.dataUntil };
}

export function matchPreAggregation(query: NormalizedQuery, model: CompiledModel, state: BuiltState): PreAggMatch | null {
  if (query.ungrouped || query.queryType !== 'regularQuery') return null;
  const measures = query.measures.map((m) => resolve(model, m));
  const dims = query.dimensions.map((d) => resolve(model, d));
  const segments = query.segments.map((s) => resolve(model, s));
  const filtered = filterMembers(query.filters).map((m) => resolve(model, m));
  const pinned = query.filters.flatMap((f) => ('member' in f && f.operator === 'equals' && f.values.length === 1 && f.values[0] !== null
    ? [resolve(model, f.member)] : []));
  if (query.timeDimensions.some((t) => t.compareDateRange)) return null;
  const routeMembers = [...query.measures, ...query.dimensions, ...query.segments, ...filterMembers(query.filters)];
  const routed = routedQuery(model, query, routeMembers);

  for (const c of matchCandidates(model)) {
    const m = tryPreAgg(c.rollup, c.name, c.lambda);
    if (m) return m;
  }
  return null;

  function tryPreAgg(pa: PreAggregation, name: string, lambda: boolean): PreAggMatch | null {
    const builds = state.builds(pa.path, query.timezone);
    if (builds.length === 0) return null;
    const td = pa.timeDimensions[0];
    const paDims = new Set(pa.dimensions);
    const paMeasures = new Set(pa.measures);
    const coverage: ('additive' | 'exact' | null)[] = [];
    for (const m of measures) coverage.push(measureCoverage(model, m, paMeasures, 0, pa.dimensions));
    if (!dims.every((d) => paDims.has(d))) return null;
    if (new Set(segments).size !== pa.segments.length || !segments.every((s) => pa.segments.includes(s))) return null;
    for (const f of filtered) {
      const mem = model.members.get(f);
      if (mem?.kind === 'measure') coverage.push(measureCoverage(model, f, paMeasures, 0, pa.dimensions));
      else if (!paDims.has(f)) return null;
    }
    if (coverage.includes(null)) return null;
    if (!sameJoinRoutes(model, query, routeMembers, pa, routed)) return null;
    let range: readonly [string, string] | undefined;
    let queryGran: string | undefined;
    for (const t of query.timeDimensions) {
      if (!td || resolve(model, t.dimension) !== td.dimension) return null;
      const g = td.granularity as Granularity;
      if (t.granularity) {
        if (!isDerivable(g, t.granularity as Granularity)) return null;
        if (queryGran && queryGran !== t.granularity) return null;
        queryGran = t.granularity;
      }
      if (t.dateRange) {
        if (!pa.allowNonStrictDateRangeMatch && (!isBucketStart(t.dateRange[0], g) || !isBucketEnd(t.dateRange[1], g))) return null;
        if (range) return null;
        range = t.dateRange;
      }
    }
    // Exact: one rollup row per answer row. A rollup dimension missing from the query still keeps
    // that when a top-level `equals` filter pins it to one value (a site's app_id from queryRewrite).
    const grouped = new Set([...dims, ...pinned]);
    const exact = pa.dimensions.every((d) => grouped.has(d)) && (!td || queryGran === td.granularity);
    if (coverage.includes('exact') && !exact) return null;
    // A lambda's tail already reads what arrived after its build; other rollups step aside.
    const cover = coveringTables(pa, builds, range, lambda, lambda || !state.stale ? undefined : (b) => state.stale!(pa, b));
    if (!cover) return null;
    const tables = cover.tables.map((b) => state.qualify(b.tableName));
    if (lambda && cover.dataUntil && (!range || range[1] >= cover.dataUntil)) {
      const tail = state.tail(pa.path, query.timezone, cover.dataUntil);
      if (!tail) return null;
      tables.push(state.qualify(tail));
    }
    const columns: Record<string, string> = {};
    const cols = rollupColumns(model, pa);
    for (const c of cols) columns[c.member] = c.name;
    // Views: the query names view members; point them at the underlying cube's columns.
    for (const q of [...query.measures, ...query.dimensions, ...filterMembers(query.filters)]) {
      const r = resolve(model, q);
      if (columns[r]) columns[q] = columns[r]!;
    }
    for (const t of query.timeDimensions) {
      if (td) columns[`${t.dimension}.${td.granularity}`] = columns[`${td.dimension}.${td.granularity}`]!;
    }
    const distinctColumns: Record<string, string> = {};
    const distinctWhen: Record<string, string> = {};
    const ranks: Record<string, string> = {};
    for (const path of distinctMeasures(model, [...measures, ...filtered])) {
      const m = model.members.get(path) as Measure;
      const key = distinctKeyOf(model, m, pa.dimensions, pa.measures);
      if (key) distinctColumns[path] = columns[key.key]!;
      if (key?.when) distinctWhen[path] = columns[key.when]!;
      if (m.type === 'countDistinctApprox' && columns[sketchRank(path)]) ranks[path] = columns[sketchRank(path)]!;
    }
    const register = cols.find((c) => c.role === 'register');
    return {
      preAggregation: name,
      tables,
      columns,
      timeDimension: td ? { member: td.dimension, granularity: td.granularity } : undefined,
      timezone: query.timezone,
      dialect: state.dialect,
      targetTableName: tables[0],
      type: 'rollup',
      ...(Object.keys(distinctColumns).length ? { distinctColumns } : {}),
      ...(Object.keys(distinctWhen).length ? { distinctWhen } : {}),
      ...(register ? { sketch: { register: register.name, ranks } } : {}),
    };
  }
}

/** count_distinct(_approx) measures a query computes, directly or inside calculated measures. */
function distinctMeasures(model: CompiledModel, paths: readonly string[], depth = 0, out = new Set<string>()): Set<string> {
  for (const path of paths) {
    const m = model.members.get(path);
    if (m?.kind !== 'measure' || depth > 8) continue;
    if (m.type === 'countDistinct' || m.type === 'countDistinctApprox') out.add(path);
    const refs = calculatedRefs(model, m);
    if (refs) distinctMeasures(model, refs, depth + 1, out);
  }
  return out;
}
