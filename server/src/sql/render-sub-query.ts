// sub_query dimensions (Cube): a dimension whose SQL aggregates another cube's measure, e.g.
// users.order_count = {orders.count}. It becomes a sub-select grouped by the owning cube's
// primary key, LEFT JOINed to the main query, and the dimension reads its `val` column.
import type { Dimension } from '../model/types.ts';
import { templateRefs } from '../model/render-template.ts';
import { collectCubes } from '../planner/collect-cubes.ts';
import { planJoins } from '../planner/plan-joins.ts';
import { expandTemplate } from './expand-template.ts';
import { underscore, type RenderContext } from './render-context.ts';
import { renderFrom } from './render-from.ts';
import { primaryKeySql } from './render-members.ts';

export function subQueryDimensionSql(ctx: RenderContext, dim: Dimension): string {
  const q = ctx.dialect.quoteIdentifier.bind(ctx.dialect);
  const alias = `${underscore(dim.cube)}_${underscore(dim.name)}_subquery`;
  if (!ctx.subQueries.has(alias)) {
    ctx.subQueries.set(alias, '');
    const refs = templateRefs(dim.sql!);
    const { cubes } = collectCubes(ctx.model, refs.members.map((m) => `${m.cube}.${m.member}`));
    const plan = planJoins(ctx.model, [dim.cube, ...cubes, ...refs.cubes], [], dim.cube);
    const inner: RenderContext = { ...ctx, multiplied: plan.multiplied, subQueries: new Map() };
    const pk = primaryKeySql(inner, dim.cube, { inSubQuery: true });
    const val = expandTemplate(inner, dim.sql!, { inSubQuery: true });
    const from = renderFrom(inner, plan);
    ctx.subQueries.set(alias, `LEFT JOIN (\nSELECT ${pk} ${q('pk')}, ${val} ${q('val')}\nFROM ${from}\nGROUP BY 1\n) AS ${q(alias)} ON ${q(alias)}.${q('pk')} = ${primaryKeySql(ctx, dim.cube)}`);
  }
  return `${q(alias)}.${q('val')}`;
}
