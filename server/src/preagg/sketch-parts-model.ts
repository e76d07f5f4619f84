// The model a rollup's HyperLogLog sketch rows are built with: every count_distinct_approx
// measure gets a hidden register dimension and a hidden max-rank measure over the same value and
// filters, in the source dialect's hash (hll.ts), so the sketch is an ordinary Cube query —
// joins, segments, time zones and original_sql sources included.
import type { CompiledModel, Cube, Dimension, Measure, Member } from '../model/types.ts';
import { HASH_SPELLINGS, registerTemplate, rankTemplate } from './hll.ts';
import { sketchRank } from './rollup-columns.ts';

/** Hidden dimension id of a measure's register (the rollup's column is shared: SKETCH_REGISTER). */
export function sketchRegisterDimension(measure: string): string {
  return `${measure}__hll_register`;
}

const cache = new Map<string, WeakMap<CompiledModel, CompiledModel>>();

export function withSketchParts(model: CompiledModel, dialect: string): CompiledModel {
  const byModel = cache.get(dialect) ?? cache.set(dialect, new WeakMap()).get(dialect)!;
  const hit = byModel.get(model);
  if (hit) return hit;
  // Without a known hash the sketch query fails on its unknown member, naming it.
  if (!HASH_SPELLINGS[dialect]) return model;
  let members: Map<string, Member> | undefined;
  const cubes = new Map<string, Cube>(model.cubes);
  for (const cube of model.cubes.values()) {
    const approx = [...cube.measures.values()].filter((m) => m.type === 'countDistinctApprox' && m.sql && !m.aliasOf);
    if (approx.length === 0) continue;
    members ??= new Map(model.members);
    const measures = new Map(cube.measures);
    const dimensions = new Map(cube.dimensions);
    for (const m of approx) {
      const rank: Measure = Object.freeze({
        ...m, name: sketchRank(m.path).slice(m.cube.length + 1), path: sketchRank(m.path), type: 'max' as const,
        sql: rankTemplate(dialect, m.sql!), public: false, drillMembers: [],
      });
      const register: Dimension = Object.freeze({
        kind: 'dimension' as const, name: sketchRegisterDimension(m.path).slice(m.cube.length + 1), cube: m.cube,
        path: sketchRegisterDimension(m.path), public: false, location: m.location, type: 'number' as const,
        sql: registerTemplate(dialect, m.sql!), primaryKey: false, subQuery: false, propagateFiltersToSubQuery: false,
        granularities: [], suggestFilterValues: false,
      });
      measures.set(rank.name, rank);
      dimensions.set(register.name, register);
      members.set(rank.path, rank);
      members.set(register.path, register);
    }
    cubes.set(cube.name, Object.freeze({ ...cube, measures, dimensions }));
  }
  const out = members ? Object.freeze({ ...model, cubes, members }) : model;
  byModel.set(model, out);
  return out;
}
