// Looks members up in the compiled model with Cube's error wording, so every stage reports an
// unknown or misused member the same way.
import { UserError } from '../errors.ts';
import type { CompiledModel, Dimension, Measure, Member, Segment } from '../model/types.ts';

export function resolveMember(model: CompiledModel, path: string): Member {
  if (!/^[a-zA-Z0-9_]+\.[a-zA-Z0-9_]+$/.test(path)) {
    throw new UserError(`Invalid member name '${path}': expected 'Cube.member'`);
  }
  const member = model.members.get(path);
  if (member) return member;
  const [cube] = path.split('.');
  if (!model.cubes.has(cube)) throw new UserError(`Cube '${cube}' not found for path '${path}'`);
  throw new UserError(`'${path}' not found for path '${path}'`);
}

export function resolveMeasure(model: CompiledModel, path: string): Measure {
  const m = resolveMember(model, path);
  if (m.kind !== 'measure') throw new UserError(`'${path}' is a ${m.kind}, not a measure`);
  return m;
}

export function resolveDimension(model: CompiledModel, path: string): Dimension {
  const m = resolveMember(model, path);
  if (m.kind !== 'dimension') throw new UserError(`'${path}' is a ${m.kind}, not a dimension`);
  return m;
}

export function resolveSegment(model: CompiledModel, path: string): Segment {
  const m = resolveMember(model, path);
  if (m.kind !== 'segment') throw new UserError(`'${path}' is a ${m.kind}, not a segment`);
  return m;
}

/** Follows view proxies down to the cube member that holds the SQL. */
export function underlyingMember(model: CompiledModel, member: Member): Member {
  let m = member;
  for (let i = 0; i < 16 && m.aliasOf; i++) m = model.members.get(m.aliasOf.member) ?? m;
  return m;
}
