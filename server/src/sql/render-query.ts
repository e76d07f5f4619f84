// Assembles the SELECT for a normalised query: one plain grouped query when no measure is
// multiplied, otherwise Cube's "full key aggregate" — one sub-query per measure group (plain,
// one keyed by each multiplied cube's primary key, rolling windows) joined on the dimensions.
import { UserError } from '../errors.ts';
import type { Measure } from '../model/types.ts';
import type { JoinPlan } from '../planner/plan-joins.ts';
import { isMemberFilter, type NormalizedFilter, type NormalizedQuery } from '../query/types.ts';
import { resolveMember, underlyingMember } from '../query/resolve-member.ts';
import { expandTemplate } from './expand-template.ts';
import { outputDimensions, whereConditions } from './render-clauses.ts';
import { cubeAlias, memberAlias, type RenderContext } from './render-context.ts';
import { renderFilterTree } from './render-filters.ts';
import { renderFrom, cubeTable } from './render-from.ts';
import { measureAggregate, measureInput, primaryKeySql } from './render-members.ts';
import { renderMultiStageSelect, usesMultiStage } from './render-multi-stage.ts';
import { renderRollingGroup } from './render-rolling.ts';

function orderBy(q: NormalizedQuery, ctx: RenderContext, aliases: ReadonlyMap<string, string>): string {
  const items = q.order.flatMap((o) => {
    // `Cube.time` orders by its bucket when the query groups it by a granularity: the last one,
    // whose value the response shows as `Cube.time` (Cube's driver suite, YTD month + week + day).
    const td = [...q.timeDimensions].reverse().find((t) => t.dimension === o.id && t.granularity);
    const alias = aliases.get(o.id) ?? (td ? aliases.get(`${td.dimension}.${td.granularity}`) : undefined);
    const pos = alias ? [...aliases.values()].indexOf(alias) + 1 : 0;
    return pos ? [ctx.dialect.orderItem(String(pos), o.desc)] : [];
  });
  return items.length ? `\nORDER BY ${items.join(', ')}` : '';
}

function tail(ctx: RenderContext, q: NormalizedQuery, aliases: ReadonlyMap<string, string>, withLimit: boolean): string {
  // An unbounded limit (Infinity: the pre-aggregation builder's queries) renders no LIMIT;
  // PrestoDB fails a GROUP BY with a LIMIT beyond 2^31 ("expectedSize must be greater than zero").
  const lo = withLimit ? ctx.dialect.limitOffset(Number.isFinite(q.limit) ? q.limit : undefined, q.offset) : '';
  return (withLimit ? orderBy(q, ctx, aliases) : '') + (lo ? `\n${lo}` : '');
}

const KEYED_TYPES = new Set(['sum', 'avg', 'number', 'count']);

function needsKeys(ctx: RenderContext, m: Measure): boolean {
  if (!ctx.multiplied.has(m.cube) || !KEYED_TYPES.has(m.type)) return false;
  return !(m.type === 'count' && !m.sql);
}

function havingMembers(filters: readonly NormalizedFilter[]): string[] {
  return filters.flatMap((f) => (isMemberFilter(f) ? [f.member] : havingMembers('and' in f ? f.and : f.or)));
}

/** Ungrouped rows show a measure's per-row value; a plain count is 1 per row (or per matching row). */
function ungroupedMeasure(ctx: RenderContext, m: Measure): string {
  if (m.type !== 'count' || m.sql) return measureInput(ctx, m);
  return m.filters.length ? `CASE WHEN ${m.filters.map((f) => `(${expandTemplate(ctx, f)})`).join(' AND ')} THEN 1 END` : '1';
}

export interface RenderedSelect { readonly sql: string; readonly aliasToMember: Record<string, string> }

export function renderSelect(ctx: RenderContext, plan: JoinPlan, q: NormalizedQuery, withLimit = true): RenderedSelect {
  if (usesMultiStage(ctx, q)) {
    if (q.ungrouped) throw new UserError('Multi-stage measures are computed over aggregated rows: they cannot be queried ungrouped');
    const staged = renderMultiStageSelect(ctx, q, (c, inner) => renderSelect(c, plan, inner, false));
    const aliases = new Map(Object.entries(staged.aliasToMember).map(([alias, member]) => [member, alias]));
    return { sql: staged.sql + tail(ctx, q, aliases, withLimit), aliasToMember: staged.aliasToMember };
  }
  const q_ = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const dims = outputDimensions(ctx, q);
  const measures = q.measures.map((path) => ({ alias: memberAlias(path), member: path, measure: underlyingMember(ctx.model, resolveMember(ctx.model, path)) as Measure }));
  const { where, havingFilters } = whereConditions(ctx, q);
  const aliasToMember: Record<string, string> = {};
  const aliases = new Map<string, string>();
  for (const c of [...dims, ...measures]) { aliasToMember[c.alias] = c.member; aliases.set(c.member, c.alias); }
  const from = renderFrom(ctx, plan);
  const whereSql = where.length ? `\nWHERE ${where.join(' AND ')}` : '';

  // Measures only filtered on (HAVING) still need computing in their group when the query is split.
  const filterOnly = havingMembers(havingFilters).filter((p) => !q.measures.includes(p))
    .map((path) => ({ alias: memberAlias(path), member: path, measure: underlyingMember(ctx.model, resolveMember(ctx.model, path)) as Measure }));
  // Without a time dimension a rolling window spans every row: Cube answers the plain aggregate
  // (a running total over all time).
  const windowed = q.timeDimensions.some((t) => t.granularity || t.dateRange);
  const isRolling = (m: { measure: Measure }) => windowed && !!m.measure.rollingWindow;
  const rolling = [...measures, ...filterOnly].filter(isRolling);
  const keyed = new Map<string, typeof measures>();
  for (const m of [...measures, ...filterOnly]) {
    if (isRolling(m) || !needsKeys(ctx, m.measure) || q.ungrouped) continue;
    keyed.set(m.measure.cube, [...(keyed.get(m.measure.cube) ?? []), m]);
  }
  const plain = [...measures, ...filterOnly].filter((m) => !isRolling(m) && !keyed.get(m.measure.cube)?.includes(m));

  if (q.ungrouped) {
    const cols = [...dims.map((d) => `${d.sql} ${q_(d.alias)}`), ...measures.map((m) => `${ungroupedMeasure(ctx, m.measure)} ${q_(m.alias)}`)];
    return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${from}${whereSql}${tail(ctx, q, aliases, withLimit)}`, aliasToMember };
  }

  const groupBy = dims.length ? `\nGROUP BY ${dims.map((_, i) => i + 1).join(', ')}` : '';
  const having = havingFilters.map((f) => renderFilterTree(ctx, f));
  if (keyed.size === 0 && rolling.length === 0) {
    const cols = [...dims.map((d) => `${d.sql} ${q_(d.alias)}`), ...measures.map((m) => `${measureAggregate(ctx, m.measure)} ${q_(m.alias)}`)];
    const havingSql = having.length ? `\nHAVING ${having.join(' AND ')}` : '';
    return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${from}${whereSql}${groupBy}${havingSql}${tail(ctx, q, aliases, withLimit)}`, aliasToMember };
  }

  // Full key aggregate: each group is a sub-query keyed by the output dimensions.
  const groups: { sql: string; measures: typeof measures; outer: boolean }[] = [];
  for (const m of rolling) groups.push({ sql: renderRollingGroup(ctx, plan, q, dims, m), measures: [m], outer: true });
  if (plain.length || (groups.length === 0 && keyed.size === 0)) {
    const cols = [...dims.map((d) => `${d.sql} ${q_(d.alias)}`), ...plain.map((m) => `${measureAggregate(ctx, m.measure)} ${q_(m.alias)}`)];
    groups.push({ sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${from}${whereSql}${groupBy}`, measures: plain, outer: false });
  }
  for (const [cube, ms] of keyed) {
    const pkAlias = `${memberAlias(`${cube}.__pk`)}`;
    const keyCols = [...dims.map((d) => `${d.sql} ${q_(d.alias)}`), `${primaryKeySql(ctx, cube)} ${q_(pkAlias)}`];
    const keys = `SELECT DISTINCT\n  ${keyCols.join(',\n  ')}\nFROM ${from}${whereSql}`;
    const cols = [...dims.map((d) => `${q_('keys')}.${q_(d.alias)} ${q_(d.alias)}`), ...ms.map((m) => `${measureAggregate(ctx, m.measure)} ${q_(m.alias)}`)];
    const join = `${cubeTable(ctx, cube)} AS ${cubeAlias(ctx, cube)} ON ${q_('keys')}.${q_(pkAlias)} = ${primaryKeySql(ctx, cube)}`;
    groups.push({ sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM (\n${keys}\n) AS ${q_('keys')}\nLEFT JOIN ${join}${groupBy}`, measures: ms, outer: false });
  }
  const g = (i: number, alias: string) => `${q_(`q_${i}`)}.${q_(alias)}`;
  let fromSql = `(\n${groups[0].sql}\n) AS ${q_('q_0')}`;
  groups.slice(1).forEach((grp, i) => {
    const on = dims.length ? dims.map((d) => ctx.dialect.nullSafeEquals(g(0, d.alias), g(i + 1, d.alias))).join(' AND ') : '1 = 1';
    fromSql += `\n${groups[0].outer ? 'LEFT' : 'INNER'} JOIN (\n${grp.sql}\n) AS ${q_(`q_${i + 1}`)} ON ${on}`;
  });
  const measureRefs = new Map<string, string>();
  groups.forEach((grp, i) => grp.measures.forEach((m) => measureRefs.set(m.member, g(i, m.alias))));
  const cols = [...dims.map((d) => `${g(0, d.alias)} ${q_(d.alias)}`), ...measures.map((m) => `${measureRefs.get(m.member)} ${q_(m.alias)}`)];
  const outerWhere = havingFilters.length
    ? `\nWHERE ${havingFilters.map((f) => renderFilterTree({ ...ctx, measureRefs }, f)).join(' AND ')}` : '';
  return { sql: `SELECT\n  ${cols.join(',\n  ')}\nFROM ${fromSql}${outerWhere}${tail(ctx, q, aliases, withLimit)}`, aliasToMember };
}
