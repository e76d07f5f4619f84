// The `annotation` of a /v1/load result (Cube's prepareAnnotation): per member title,
// shortTitle, type, format, meta; measures add drill members, time dimensions the granularity.
import { titleize } from '../model/titles.ts';
import type { CompiledModel, Cube, Member } from '../model/types.ts';
import { GRANULARITIES, type NormalizedQuery } from './types.ts';
import { resolveMember, underlyingMember } from './resolve-member.ts';

export type AnnotationItem = Record<string, unknown>;
export interface Annotation {
  measures: Record<string, AnnotationItem>;
  dimensions: Record<string, AnnotationItem>;
  segments: Record<string, AnnotationItem>;
  timeDimensions: Record<string, AnnotationItem>;
}

function cubeTitle(cube: Cube | undefined, name: string): string {
  return cube?.title ?? titleize(name);
}

// A compiled model is immutable, so each member's annotation is computed once per model.
const cache = new WeakMap<CompiledModel, Map<string, AnnotationItem>>();

function item(model: CompiledModel, path: string): AnnotationItem {
  let perModel = cache.get(model);
  if (!perModel) { perModel = new Map(); cache.set(model, perModel); }
  let found = perModel.get(path);
  if (!found) { found = Object.freeze(computeItem(model, path)); perModel.set(path, found); }
  return found;
}

function computeItem(model: CompiledModel, path: string): AnnotationItem {
  const member: Member = resolveMember(model, path);
  const [cubeName] = path.split('.');
  const shortTitle = member.title ?? titleize(member.name);
  const out: AnnotationItem = { title: `${cubeTitle(model.cubes.get(cubeName), cubeName)} ${shortTitle}`, shortTitle };
  if (member.description) out.description = member.description;
  if (member.kind === 'measure') {
    const base = underlyingMember(model, member);
    const t = base.kind === 'measure' ? base.type : member.type;
    out.type = ['string', 'time', 'boolean'].includes(t) ? t : 'number';
    if (member.format !== undefined) out.format = member.format;
    out.meta = member.meta;
    out.drillMembers = [...member.drillMembers];
    out.drillMembersGrouped = {
      measures: member.drillMembers.filter((d) => model.members.get(d)?.kind === 'measure'),
      dimensions: member.drillMembers.filter((d) => model.members.get(d)?.kind !== 'measure'),
    };
  } else if (member.kind === 'dimension') {
    out.type = member.type === 'geo' ? 'string' : member.type;
    if (member.format !== undefined) out.format = member.format;
    out.meta = member.meta;
  } else out.meta = member.meta;
  if (out.meta === undefined) delete out.meta;
  return out;
}

export function buildAnnotation(model: CompiledModel, q: NormalizedQuery): Annotation {
  const a: Annotation = { measures: {}, dimensions: {}, segments: {}, timeDimensions: {} };
  for (const m of q.measures) a.measures[m] = { ...item(model, m) };
  for (const d of q.dimensions) a.dimensions[d] = { ...item(model, d) };
  for (const s of q.segments) a.segments[s] = { ...item(model, s) };
  for (const td of q.timeDimensions) {
    if (!td.granularity) continue;
    const base = item(model, td.dimension);
    const dim = resolveMember(model, td.dimension);
    const custom = dim.kind === 'dimension' ? dim.granularities.find((g) => g.name === td.granularity) : undefined;
    const granularity = (GRANULARITIES as readonly string[]).includes(td.granularity)
      ? { name: td.granularity, title: td.granularity, interval: `1 ${td.granularity}` }
      : { name: td.granularity, title: custom?.title ?? titleize(td.granularity), ...(custom?.interval ? { interval: custom.interval } : {}), ...(custom?.offset ? { offset: custom.offset } : {}), ...(custom?.origin ? { origin: custom.origin } : {}) };
    a.timeDimensions[`${td.dimension}.${td.granularity}`] = { ...base, granularity };
    if (!q.dimensions.includes(td.dimension)) a.timeDimensions[td.dimension] = { ...base };
  }
  return a;
}
