// Which data source (Cube's `data_source`, default 'default') a query runs against: every cube
// it touches must share one, as in Cube, since one SQL statement cannot span engines.
import { UserError } from '../errors.ts';
import type { CompiledModel } from '../model/types.ts';
import { underlyingMember } from '../query/resolve-member.ts';
import { isMemberFilter, type NormalizedFilter, type NormalizedQuery } from '../query/types.ts';

function filterMembers(filters: readonly NormalizedFilter[]): string[] {
  return filters.flatMap((f) => (isMemberFilter(f) ? [f.member] : filterMembers('and' in f ? f.and : f.or)));
}

export function dataSourceOf(model: CompiledModel, q: NormalizedQuery): string {
  const paths = [...q.measures, ...q.dimensions, ...q.segments, ...q.timeDimensions.map((t) => t.dimension), ...filterMembers(q.filters)];
  const sources = new Map<string, string>();
  for (const p of paths) {
    const m = model.members.get(p);
    if (!m) continue;
    const cube = underlyingMember(model, m).cube;
    sources.set(model.cubes.get(cube)?.dataSource ?? 'default', cube);
  }
  if (sources.size > 1) {
    throw new UserError(`Query mixes data sources (${[...sources].map(([ds, c]) => `'${c}' uses '${ds}'`).join(', ')}): cubes from different data sources cannot be joined`);
  }
  return sources.keys().next().value ?? 'default';
}
