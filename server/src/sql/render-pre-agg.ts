// Renders a query against a matched rollup (PreAggMatch) instead of the source: members read
// from the rollup's columns, additive measures re-aggregated (count/sum → sum, min, max, avg →
// sum of its sum column / sum of its count column), calculated measures computed over those, the
// time bucket re-truncated when the query is coarser, filters applied to rollup columns. The
// rollup's time column already holds local wall time, so ranges compare without conversion.
// count_distinct_approx merges the rollup's HyperLogLog sketch rows in a LEFT JOINed sub-query:
// max(rank) per (answer row, register), then one estimate per answer row (hll-estimate.ts).
import { UserError } from '../errors.ts';
import type { Dimension, Measure } from '../model/types.ts';
import type { PreAggMatch } from '../planner/types.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import { GRANULARITIES, isMemberFilter, type NormalizedFilter, type NormalizedQuery, type StandardGranularity } from '../query/types.ts';
import { parseAvgPart } from '../planner/avg-part.ts';
import { expandTemplate } from './expand-template.ts';
import { estimateSql } from './hll-estimate.ts';
import { memberAlias, type RenderContext } from './render-context.ts';
import { predicate, splitFilters } from './render-filters.ts';

const REAGG: Record<string, string> = { count: 'sum', sum: 'sum', min: 'min', max: 'max' };
const CALCULATED = new Set(['number', 'string', 'boolean', 'time']);

/** True when a calculated measure references only measures the rollup re-aggregates (and no columns). */
function calculatedFromRollup(ctx: RenderContext, m: Measure, refs: ReadonlyMap<string, string>): boolean {
  if (m.filters.length) return false;
  return (m.sql ?? []).every((p) => {
    if (typeof p === 'string') return true;
    if (p.type !== 'member') return false;
    const ref = ctx.model.members.get(`${p.cube}.${p.member}`);
    const base = ref && underlyingMember(ctx.model, ref);
    return base?.kind === 'measure' && (refs.has(base.path) || (CALCULATED.has(base.type) && calculatedFromRollup(ctx, base, refs)));
  });
}

export function renderPreAggQuery(ctx: RenderContext, q: NormalizedQuery, match: PreAggMatch, withLimit: boolean): { sql: string; aliasToMember: Record<string, string> } {
  const d = ctx.dialect;
  const qi = d.quoteIdentifier.bind(d);
  const col = (member: string): string => {
    const c = match.columns[member];
    if (!c) throw new UserError(`Pre-aggregation '${match.preAggregation}' has no column for '${member}'`);
    return `${qi('rollup')}.${qi(c)}`;
  };
  const table = (t: string): string => t.split('.').map(qi).join('.');
  const tdKey = match.timeDimension ? `${match.timeDimension.member}.${match.timeDimension.granularity}` : undefined;
  const aliasToMember: Record<string, string> = {};
  const cols: string[] = [];
  const aliases = new Map<string, string>();
  const groupSql: string[] = [];
  const add = (alias: string, member: string, sql: string) => { cols.push(`${sql} ${qi(alias)}`); groupSql.push(sql); aliasToMember[alias] = member; aliases.set(member, alias); };
  for (const dim of q.dimensions) add(memberAlias(dim), dim, col(dim));
  for (const td of q.timeDimensions) {
    if (!td.granularity || aliases.has(`${td.dimension}.${td.granularity}`)) continue;
    const exact = match.columns[`${td.dimension}.${td.granularity}`];
    const sql = exact ? `${qi('rollup')}.${qi(exact)}`
      : tdKey && match.timeDimension!.member === td.dimension && GRANULARITIES.includes(td.granularity as StandardGranularity)
        ? d.timeTrunc(td.granularity as StandardGranularity, col(tdKey))
        : col(`${td.dimension}.${td.granularity}`);
    add(memberAlias(td.dimension, td.granularity), `${td.dimension}.${td.granularity}`, sql);
  }
  const groupCount = cols.length;
  const grain = groupSql.slice();
  // Re-aggregated rollup columns of additive measures, by member path (view members resolved):
  // calculated measures (e.g. avg = total / count) are then computed from them, as Cube does.
  // Other stored measures read as max(column): the matcher only allows them at the rollup's grain.
  const refs = new Map<string, string>();
  const stored: Measure[] = [];
  const avgParts = new Map<string, { sum?: string; count?: string }>();
  for (const [member, column] of Object.entries(match.columns)) {
    const avg = parseAvgPart(member);
    if (avg) avgParts.set(avg.measure, { ...avgParts.get(avg.measure), [avg.part]: column });
    const found = ctx.model.members.get(member);
    const m = found && underlyingMember(ctx.model, found);
    if (m?.kind !== 'measure') continue;
    if (REAGG[m.type]) refs.set(m.path, `${REAGG[m.type]}(${qi('rollup')}.${qi(column)})`);
    else if (!CALCULATED.has(m.type)) refs.set(m.path, `max(${qi('rollup')}.${qi(column)})`);
    else stored.push(m);
  }
  for (const [measure, p] of avgParts) {
    if (p.sum && p.count) refs.set(measure, `sum(${qi('rollup')}.${qi(p.sum)}) / NULLIF(sum(${qi('rollup')}.${qi(p.count)}), 0)`);
  }
  // A count_distinct re-counted from the rollup's distinct-key dimension (exact at any grain).
  for (const [measure, column] of Object.entries(match.distinctColumns ?? {})) {
    const when = match.distinctWhen?.[measure];
    refs.set(measure, when
      ? `count(DISTINCT CASE WHEN ${qi('rollup')}.${qi(when)} > 0 THEN ${qi('rollup')}.${qi(column)} END)`
      : `count(DISTINCT ${qi('rollup')}.${qi(column)})`);
  }
  // A sketch-merged count_distinct_approx: one estimate per answer row, joined in below.
  const ranks = Object.entries(match.sketch?.ranks ?? {});
  ranks.forEach(([measure], i) => refs.set(measure, `COALESCE(max(${qi('hll')}.${qi(`e${i}`)}), 0)`));
  for (const m of stored) if (!calculatedFromRollup(ctx, m, refs)) refs.set(m.path, `max(${col(m.path)})`);
  // MySQL divides DECIMALs to only 4 more digits (div_precision_increment) where the source
  // engines divide in DOUBLE: calculated measures over a MySQL store read the parts as DOUBLE.
  const calcRefs = d.name === 'mysql' ? new Map([...refs].map(([k, v]) => [k, `(${v} + 0e0)`])) : refs;
  const rctx: RenderContext = { ...ctx, measureRefs: calcRefs };
  const measureSql = (path: string): string => {
    const m = underlyingMember(ctx.model, resolveMember(ctx.model, path)) as Measure;
    if (refs.has(m.path)) return refs.get(m.path)!;
    if (m.sql && CALCULATED.has(m.type) && calculatedFromRollup(ctx, m, refs)) return expandTemplate(rctx, m.sql);
    // Other non-additive measures are only matched when the query's grouping equals the rollup's.
    return `max(${col(path)})`;
  };
  for (const m of q.measures) add(memberAlias(m), m, measureSql(m));

  // Rollup time columns are local wall time: compare with the local strings unchanged.
  const lctx: RenderContext = { ...ctx, query: { ...q, timezone: 'UTC' } };
  const cond = (f: NormalizedFilter): string => {
    if (!isMemberFilter(f)) {
      const kids = ('and' in f ? f.and : f.or).map(cond);
      return `(${kids.join('and' in f ? ' AND ' : ' OR ')})`;
    }
    const member = underlyingMember(ctx.model, resolveMember(ctx.model, f.member)) as Dimension | Measure;
    const c = member.kind === 'measure' ? measureSql(f.member)
      : member.type === 'time' && tdKey && match.timeDimension!.member === f.member ? col(tdKey) : col(f.member);
    return predicate(lctx, c, member, f.operator, f.values);
  };
  const { where, having } = splitFilters(ctx, q.filters);
  const whereSql = where.map(cond);
  for (const td of q.timeDimensions) {
    if (td.dateRange) whereSql.push(cond({ member: td.dimension, operator: 'inDateRange', values: td.dateRange }));
  }
  const rollupFrom = match.tables.length === 1
    ? `${table(match.tables[0])} AS ${qi('rollup')}`
    : `(\n${match.tables.map((t) => `SELECT * FROM ${table(t)}`).join('\nUNION ALL\n')}\n) AS ${qi('rollup')}`;
  let from = rollupFrom;
  if (match.sketch) {
    const register = `${qi('rollup')}.${qi(match.sketch.register)}`;
    if (ranks.length) {
      from += `\nLEFT JOIN (\n${sketchEstimates(qi, grain, register, ranks.map(([, c]) => c), rollupFrom, whereSql)}\n) AS ${qi('hll')} ON `
        + (grain.length ? grain.map((g, i) => d.nullSafeEquals(g, `${qi('hll')}.${qi(`g${i}`)}`)).join(' AND ') : '1 = 1');
    }
    // Ordinary rows only: sketch rows carry NULL measures but would multiply the join above.
    whereSql.push(`${register} IS NULL`);
  }
  let sql = `SELECT\n  ${cols.join(',\n  ')}\nFROM ${from}`;
  if (whereSql.length) sql += `\nWHERE ${whereSql.join(' AND ')}`;
  if (groupCount && q.measures.length) sql += `\nGROUP BY ${Array.from({ length: groupCount }, (_, i) => i + 1).join(', ')}`;
  if (having.length) sql += `\nHAVING ${having.map(cond).join(' AND ')}`;
  if (withLimit) {
    const order = q.order.flatMap((o) => {
      const td = q.timeDimensions.find((t) => t.dimension === o.id && t.granularity);
      const alias = aliases.get(o.id) ?? (td ? aliases.get(`${td.dimension}.${td.granularity}`) : undefined);
      const pos = alias ? [...aliases.values()].indexOf(alias) + 1 : 0;
      return pos ? [d.orderItem(String(pos), o.desc)] : [];
    });
    if (order.length) sql += `\nORDER BY ${order.join(', ')}`;
    const lo = d.limitOffset(q.limit, q.offset);
    if (lo) sql += `\n${lo}`;
  }
  return { sql, aliasToMember };
}

/**
 * One row per answer row (grouped by `groupSql`) with the estimate `e<i>` of each rank column:
 * the inner query merges every partition's sketch rows into max(rank) per register.
 */
function sketchEstimates(qi: (s: string) => string, groupSql: readonly string[], register: string, rankColumns: readonly string[],
  rollupFrom: string, whereSql: readonly string[]): string {
  const g = groupSql.map((sql, i) => `${sql} AS ${qi(`g${i}`)}`);
  const positions = (n: number) => Array.from({ length: n }, (_, i) => i + 1).join(', ');
  const inner = `SELECT ${[...g, `${register} AS ${qi('r')}`, ...rankColumns.map((c, i) => `max(${qi('rollup')}.${qi(c)}) AS ${qi(`k${i}`)}`)].join(', ')}`
    + `\n  FROM ${rollupFrom}\n  WHERE ${[...whereSql, `${register} IS NOT NULL`].join(' AND ')}\n  GROUP BY ${positions(groupSql.length + 1)}`;
  const outer = [...groupSql.map((_, i) => qi(`g${i}`)), ...rankColumns.map((_, i) => `${estimateSql(qi(`k${i}`))} AS ${qi(`e${i}`)}`)];
  return `SELECT ${outer.join(', ')}\nFROM (\n  ${inner}\n) AS ${qi('hll_registers')}${groupSql.length ? `\nGROUP BY ${positions(groupSql.length)}` : ''}`;
}
