// The model a rollup is built with: every avg measure gets two hidden companion measures, a sum
// and a count over the same input and filters, so the build can fill the rollup's avg columns
// (see rollup-columns.ts) through the ordinary query compiler.
import type { CompiledModel, Cube, Measure, Member } from '../model/types.ts';
import { avgPart, type AvgPart } from '../planner/avg-part.ts';

const cache = new WeakMap<CompiledModel, CompiledModel>();

function part(m: Measure, p: AvgPart): Measure {
  const path = avgPart(m.path, p);
  // count(sql) counts the non-null inputs, exactly avg's denominator.
  return Object.freeze({ ...m, name: path.slice(m.cube.length + 1), path, type: p, public: false, drillMembers: [] });
}

export function withAvgParts(model: CompiledModel): CompiledModel {
  const hit = cache.get(model);
  if (hit) return hit;
  const members = new Map<string, Member>(model.members);
  const cubes = new Map<string, Cube>(model.cubes);
  for (const cube of model.cubes.values()) {
    const avgs = [...cube.measures.values()].filter((m) => m.type === 'avg' && !m.aliasOf);
    if (avgs.length === 0) continue;
    const measures = new Map(cube.measures);
    for (const m of avgs) {
      for (const p of ['sum', 'count'] as const) {
        const pm = part(m, p);
        measures.set(pm.name, pm);
        members.set(pm.path, pm);
      }
    }
    cubes.set(cube.name, Object.freeze({ ...cube, measures }));
  }
  const out = Object.freeze({ ...model, cubes, members });
  cache.set(model, out);
  return out;
}
