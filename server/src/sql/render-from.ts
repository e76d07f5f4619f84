// FROM clause of a join plan: the root cube's table or sub-select, then each join as
// `LEFT JOIN <table> AS <alias> ON <join sql>` (Cube: every join is a LEFT JOIN).
import { UserError } from '../errors.ts';
import type { JoinPlan } from '../planner/plan-joins.ts';
import { expandTemplate } from './expand-template.ts';
import { cubeAlias, type RenderContext } from './render-context.ts';

export function cubeTable(ctx: RenderContext, cube: string): string {
  const c = ctx.model.cubes.get(cube);
  if (!c) throw new UserError(`Cube '${cube}' not found`);
  const materialised = ctx.cubeSources?.get(cube);
  if (typeof materialised === 'string') return materialised;
  if (materialised) return `(SELECT * FROM ${materialised.from} AS ${ctx.dialect.quoteIdentifier('built')} UNION ALL ${materialised.sourceRows(ctx.params)})`;
  if (c.sqlTable) return expandTemplate(ctx, c.sqlTable);
  if (c.sql) return `(${expandTemplate(ctx, c.sql)})`;
  throw new UserError(`Cube '${cube}' has neither sql nor sql_table`);
}

export function renderFrom(ctx: RenderContext, plan: JoinPlan): string {
  let sql = `${cubeTable(ctx, plan.root)} AS ${cubeAlias(ctx, plan.root)}`;
  for (const j of plan.joins) {
    sql += `\nLEFT JOIN ${cubeTable(ctx, j.to)} AS ${cubeAlias(ctx, j.to)} ON ${expandTemplate(ctx, j.sql)}`;
  }
  // sub_query dimensions rendered while building the SELECT/WHERE lists (so render FROM last).
  for (const join of ctx.subQueries.values()) sql += `\n${join}`;
  return sql;
}
