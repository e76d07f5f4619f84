// Random Cube queries over the pre-aggregation test model (seeded, so a failure reproduces),
// and the comparison of results by member with numbers rounded and rows sorted. A
// count_distinct_approx answered by a rollup (HyperLogLog sketches) is compared with the EXACT
// distinct count within APPROX_TOLERANCE; every other value must be equal.
import type { CompiledModel, Cube, Measure, Member } from '../server/src/model/types.ts';
import { HLL_STANDARD_ERROR } from '../server/src/sql/hll-estimate.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import type { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import type { SourceDriver } from '../server/src/preagg/compiled-source.ts';

export function prng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const some = <T>(r: () => number, xs: readonly T[], p = 0.4): T[] => xs.filter(() => r() < p);

/** Half the queries are shaped like dashboard queries a rollup was made for, half anything. */
export function randomQuery(r: () => number): Record<string, unknown> {
  const mode = pick(r, ['any', 'any', 'hourly', 'hourly', 'daily_users', 'mobile']);
  let measures = some(r, ['pv.count', 'pv.revenue', 'pv.min_value', 'pv.max_value', 'pv.avg_value', 'pv.users', 'pv.revenue_per_event', 'pv.value_spread', 'pv.avg_value_x2', 'pv.events_per_user', 'pv.approx_users'], 0.3);
  let dimensions = some(r, ['pv.country', 'pv.browser', 'pv.mobile'], 0.3);
  let granularity = pick(r, ['hour', 'day', 'day', 'week', 'month', 'quarter', undefined]);
  if (mode === 'hourly') measures = some(r, ['pv.count', 'pv.revenue', 'pv.min_value', 'pv.max_value', 'pv.avg_value', 'pv.revenue_per_event', 'pv.value_spread', 'pv.avg_value_x2', 'pv.approx_users'], 0.4);
  if (mode === 'daily_users') {
    measures = some(r, ['pv.users', 'pv.avg_value', 'pv.count', 'pv.events_per_user', 'pv.avg_value_x2', 'pv.approx_users'], 0.5);
    dimensions = ['pv.country'];
    granularity = 'day';
  }
  if (mode === 'mobile') { measures = ['pv.count']; dimensions = []; }
  if (measures.length === 0) measures.push(pick(r, ['pv.count', 'pv.revenue', 'pv.users']));
  const timezone = pick(r, ['UTC', 'UTC', 'America/New_York', 'Asia/Kolkata']);
  const day = 1 + Math.floor(r() * 20);
  const len = Math.floor(r() * 30);
  const d = (n: number) => `2024-${String(1 + Math.floor((n - 1) / 31)).padStart(2, '0')}-${String(1 + ((n - 1) % 31)).padStart(2, '0')}`;
  const dateRange = pick(r, [
    undefined,
    [d(day), d(Math.min(day + len, 28))],
    [`${d(day)}T06:00:00.000`, `${d(day + 1)}T17:59:59.999`],
    [`${d(day)}T06:30:00.000`, `${d(day + 2)}T00:00:00.000`],
  ]);
  const td = granularity || dateRange ? [{ dimension: 'pv.ts', ...(granularity ? { granularity } : {}), ...(dateRange ? { dateRange } : {}) }] : [];
  const filters: unknown[] = [];
  if (r() < 0.35) filters.push({ member: 'pv.country', operator: pick(r, ['equals', 'notEquals', 'in', 'notIn', 'contains']), values: some(r, ['US', 'DE', 'FR', 'IN'], 0.5).concat(['US']) });
  if (r() < 0.2) filters.push({ member: 'pv.browser', operator: pick(r, ['set', 'notSet', 'startsWith']), values: ['Chr'] });
  if (r() < 0.15) filters.push({ or: [{ member: 'pv.mobile', operator: 'equals', values: ['true'] }, { member: 'pv.country', operator: 'equals', values: ['FR'] }] });
  if (r() < 0.15) filters.push({ member: 'pv.count', operator: 'gt', values: ['3'] });
  if (r() < 0.1) filters.push({ member: pick(r, ['pv.avg_value', 'pv.revenue_per_event']), operator: 'gt', values: ['40'] });
  const segments = r() < 0.12 || mode === 'mobile' ? ['pv.mobile_only'] : [];
  if (mode === 'mobile') filters.length = 0;
  // A site-style filter pinning the rollup's only dimension: distinct counts stay exact.
  if (mode === 'daily_users' && r() < 0.5) {
    dimensions = [];
    filters.push({ member: 'pv.country', operator: 'equals', values: [pick(r, ['US', 'DE', 'FR'])] });
  }
  const q: Record<string, unknown> = { measures, dimensions, timeDimensions: td, filters, segments, timezone };
  for (const f of q.filters as { operator?: string; values?: unknown }[]) if (f.operator === 'set' || f.operator === 'notSet') delete f.values;
  return q;
}

function norm(v: unknown): unknown {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') return Math.round(v * 1e6) / 1e6;
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}/.test(v)) return v.replace(' ', 'T').slice(0, 19);
  if (v instanceof Date) return v.toISOString().slice(0, 19);
  if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Math.round(Number(v) * 1e6) / 1e6;
  return v;
}

export function byMember(rows: readonly Record<string, unknown>[], aliasToMember: Readonly<Record<string, string>>): string[] {
  return rows.map((row) => JSON.stringify(Object.entries(aliasToMember).map(([a, m]) => [m, norm(row[a])]).sort())).sort();
}

export interface Outcome {
  readonly rollup: string | null;
  readonly expected: string[];
  readonly actual: string[];
  /** The answer as served (rollup or source), by alias. */
  readonly rows: readonly Record<string, unknown>[];
  readonly aliasToMember: Readonly<Record<string, string>>;
}

/**
 * Allowed deviation of a sketch-merged count_distinct_approx from the exact count: 4 standard
 * errors of HyperLogLog at the rollups' precision (1.04/√2^p; p = 12 → 6.5 %), plus 1: at small
 * counts (linear counting) the error is whole values lost to two values sharing a register (about
 * n²/2m of them), which a relative bound does not cover. A measure computed from one (a ratio)
 * may be off by tol/(1 - tol).
 */
export const APPROX_TOLERANCE = 4 * HLL_STANDARD_ERROR;

/** The model with every count_distinct_approx counted exactly: the truth sketches are checked against. */
export function exactModel(model: CompiledModel): CompiledModel {
  const members = new Map<string, Member>(model.members);
  const cubes = new Map<string, Cube>();
  for (const [name, cube] of model.cubes) {
    const measures = new Map<string, Measure>([...cube.measures].map(([k, m]) => [k, m.type === 'countDistinctApprox' ? { ...m, type: 'countDistinct' as const } : m]));
    for (const m of measures.values()) members.set(m.path, m);
    cubes.set(name, { ...cube, measures });
  }
  return { ...model, cubes, members };
}

/** Approx (1) or computed from one (2), else 0. */
function approxKind(model: CompiledModel, path: string, depth = 0): 0 | 1 | 2 {
  const m = model.members.get(path);
  if (m?.kind !== 'measure' || depth > 8) return 0;
  if (m.type === 'countDistinctApprox') return 1;
  const refs = (m.sql ?? []).flatMap((p) => (typeof p !== 'string' && p.type === 'member' ? [`${p.cube}.${p.member}`] : []));
  return refs.some((r) => approxKind(model, r, depth + 1)) ? 2 : 0;
}

function withinTolerance(kind: 1 | 2, actual: unknown, exact: unknown): boolean {
  if (actual === null || exact === null) return actual === exact;
  const a = Number(actual), e = Number(exact);
  return kind === 1 ? Math.abs(a - e) <= APPROX_TOLERANCE * e + 1
    : Math.abs(a - e) <= (APPROX_TOLERANCE / (1 - APPROX_TOLERANCE)) * Math.abs(e) + 1e-6;
}

/**
 * Rows as sorted JSON strings; an approx value of `actual` within tolerance of the exact one in
 * the row with the same other values is replaced by it, so a deepEqual shows only real misses.
 */
function matchApprox(model: CompiledModel, actual: readonly Record<string, unknown>[], actualAliases: Readonly<Record<string, string>>,
  exact: readonly Record<string, unknown>[], exactAliases: Readonly<Record<string, string>>): { actual: string[]; expected: string[] } {
  const entries = (row: Record<string, unknown>, aliases: Readonly<Record<string, string>>) =>
    Object.entries(aliases).map(([a, m]) => [m, norm(row[a])] as [string, unknown]).sort((x, y) => x[0].localeCompare(y[0]));
  const key = (es: [string, unknown][]) => JSON.stringify(es.filter(([m]) => !approxKind(model, m)));
  const truth = new Map(exact.map((r) => { const es = entries(r, exactAliases); return [key(es), es] as const; }));
  const out = actual.map((r) => {
    const es = entries(r, actualAliases);
    const t = truth.get(key(es));
    return JSON.stringify(es.map(([m, v], i) => {
      const k = approxKind(model, m);
      return k && t && withinTolerance(k, v, t[i]![1]) ? [m, t[i]![1]] : [m, v];
    }));
  });
  return { actual: out.sort(), expected: exact.map((r) => JSON.stringify(entries(r, exactAliases))).sort() };
}

/** Runs one query with and without pre-aggregations; `dialect` is the source's. */
export async function runBoth(raw: unknown, model: CompiledModel, preAggs: PreAggregations, source: SourceDriver, dialect = 'duckdb'): Promise<Outcome> {
  return (await runOnStores(raw, model, [preAggs], source, dialect)).outcomes[0]!;
}

export interface SourceAnswer { readonly rows: readonly Record<string, unknown>[]; readonly aliasToMember: Readonly<Record<string, string>> }

/**
 * One query through each runtime (one per store, same source) and once on the source without
 * pre-aggregations (and once more counting count_distinct_approx exactly when a rollup merged
 * sketches): each outcome compares a runtime's answer with the source's.
 */
export async function runOnStores(raw: unknown, model: CompiledModel, runtimes: readonly PreAggregations[], source: SourceDriver, dialect = 'duckdb'):
  Promise<{ readonly source: SourceAnswer; readonly outcomes: Outcome[] }> {
  const nq = normalizeQuery(raw, model);
  const plain = compileQuery(model, nq, { dialect });
  const plainRows = await source.query(plain.sql, plain.params);
  let exact: SourceAnswer | undefined;
  const outcomes: Outcome[] = [];
  for (const preAggs of runtimes) {
    await preAggs.prepare(nq, model);
    const withPa = compileQuery(model, nq, { dialect, preAggregations: preAggs.matcher });
    const used = Object.keys(withPa.usedPreAggregations)[0] ?? null;
    // original_sql tables live in the source; rollups in the store.
    const onStore = Object.values(withPa.usedPreAggregations).some((u) => u.type !== 'originalSql');
    const actualRows = onStore ? await preAggs.execute(withPa) : await source.query(withPa.sql, withPa.params);
    const answer = { rows: actualRows, aliasToMember: withPa.aliasToMember };
    if (onStore && nq.measures.some((m) => approxKind(model, m))) {
      if (!exact) {
        const e = compileQuery(exactModel(model), nq, { dialect });
        exact = { rows: await source.query(e.sql, e.params), aliasToMember: e.aliasToMember };
      }
      outcomes.push({ rollup: used, ...matchApprox(model, actualRows, withPa.aliasToMember, exact.rows, exact.aliasToMember), ...answer });
    } else {
      outcomes.push({ rollup: used, expected: byMember(plainRows, plain.aliasToMember), actual: byMember(actualRows, withPa.aliasToMember), ...answer });
    }
  }
  return { source: { rows: plainRows, aliasToMember: plain.aliasToMember }, outcomes };
}

/**
 * An answer (rows by alias) against the truth (rows by member, tests/preagg-truth.ts), as sorted
 * JSON strings; approximate values within tolerance of the exact ones count as equal.
 */
export function againstTruth(model: CompiledModel, rows: readonly Record<string, unknown>[], aliasToMember: Readonly<Record<string, string>>,
  truthRows: readonly Record<string, unknown>[]): { actual: string[]; expected: string[] } {
  const identity = Object.fromEntries(Object.values(aliasToMember).map((m) => [m, m]));
  return matchApprox(model, rows, aliasToMember, truthRows, identity);
}

/** Queries on the derived `visits` cube (VISITS_YAML): rollups, the user-day rollup, original_sql. */
export function randomVisitsQuery(r: () => number): Record<string, unknown> {
  const measures = some(r, ['visits.count', 'visits.events', 'visits.revenue', 'visits.users', 'visits.browsers', 'visits.events_per_user'], 0.35);
  if (measures.length === 0) measures.push(pick(r, ['visits.users', 'visits.count', 'visits.events']));
  const dimensions = some(r, ['visits.country', 'visits.browser', 'visits.user'], 0.2);
  const granularity = pick(r, ['day', 'week', 'month', undefined, undefined]);
  const day = 1 + Math.floor(r() * 25);
  const d = (n: number) => `2024-${String(1 + Math.floor((n - 1) / 31)).padStart(2, '0')}-${String(1 + ((n - 1) % 31)).padStart(2, '0')}`;
  const dateRange = pick(r, [undefined, [d(day), d(Math.min(day + Math.floor(r() * 20), 31))], [`${d(day)}T06:00:00.000`, `${d(day + 3)}T17:59:59.999`]]);
  const td = granularity || dateRange ? [{ dimension: 'visits.ts', ...(granularity ? { granularity } : {}), ...(dateRange ? { dateRange } : {}) }] : [];
  const filters: unknown[] = [];
  if (r() < 0.3) filters.push({ member: 'visits.country', operator: pick(r, ['equals', 'notEquals', 'in']), values: some(r, ['US', 'DE', 'FR'], 0.5).concat(['DE']) });
  if (r() < 0.1) filters.push({ member: 'visits.users', operator: 'gt', values: ['2'] });
  const timezone = pick(r, ['UTC', 'UTC', 'America/New_York']);
  return { measures, dimensions, timeDimensions: td, filters, timezone };
}
