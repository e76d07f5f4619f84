// A fresh RenderContext for one render, with the template renderers wired in. The top of sql/'s
// import tree: expand-template.ts reaches members, FILTER_PARAMS and sub_query dimensions only
// through ctx.renderers, so the modules rendering them can import it without a loop.
import type { CompiledModel } from '../model/types.ts';
import type { NormalizedQuery } from '../query/types.ts';
import type { Dialect } from './dialect.ts';
import { Params } from './params.ts';
import type { CubeSource, RenderContext, TemplateRenderers } from './render-context.ts';
import { renderFilterParams } from './render-filter-params.ts';
import { dimensionSql, measureAggregate, timeDimensionSql } from './render-members.ts';
import { subQueryDimensionSql } from './render-sub-query.ts';

const renderers: TemplateRenderers = {
  dimension: dimensionSql,
  timeDimension: timeDimensionSql,
  measure: measureAggregate,
  filterParams: renderFilterParams,
  subQueryDimension: subQueryDimensionSql,
};

export interface RenderContextInit {
  readonly model: CompiledModel;
  readonly dialect: Dialect;
  readonly query: NormalizedQuery;
  readonly securityContext?: Readonly<Record<string, unknown>>;
  readonly multiplied?: ReadonlySet<string>;
  readonly cubeSources?: ReadonlyMap<string, CubeSource>;
}

export function createRenderContext(init: RenderContextInit): RenderContext {
  return {
    renderers, params: new Params(), subQueries: new Map(),
    model: init.model, dialect: init.dialect, query: init.query,
    securityContext: init.securityContext ?? {}, multiplied: init.multiplied ?? new Set(),
    ...(init.cubeSources ? { cubeSources: init.cubeSources } : {}),
  };
}
