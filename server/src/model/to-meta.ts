// Builds the `/v1/meta` `cubes` array from a compiled model, field for field as Cube's
// CubeToMetaTransformer (1.7) and the gateway's visibility filter produce it.
import { dimensionFormat, formatDescription, measureFormat } from './meta-formats.ts';
import { titleize } from './titles.ts';
import type { CompiledModel, Cube, Dimension, Measure, Segment } from './types.ts';

const CALCULATED = new Set(['number', 'string', 'time', 'boolean']);

/** Cube reports aggregates as `number`; calculated measures keep their type. */
export const measureDataType = (type: string): string => (CALCULATED.has(type) ? type : 'number');

export interface MetaOptions {
  /** Drop non-public members, and cubes left without any (Cube's filterVisibleItemsInMeta). */
  readonly visibleOnly?: boolean;
}

export function toMeta(model: CompiledModel, opts: MetaOptions = {}): Record<string, unknown>[] {
  const cubes = [...model.cubes.values()].map((c) => cubeMeta(model, c));
  if (!opts.visibleOnly) return cubes;
  return cubes
    .filter((c) => c.isVisible)
    .map((c) => ({
      ...c,
      measures: c.measures.filter((m) => m.isVisible),
      dimensions: c.dimensions.filter((d) => d.isVisible),
      segments: c.segments.filter((s) => s.isVisible),
    }))
    .filter((c) => c.measures.length + c.dimensions.length + c.segments.length > 0);
}

type Titled = { name: string; title?: string };
const titles = (cubeTitle: string, m: Titled) => {
  const short = m.title ?? titleize(m.name);
  return { title: `${cubeTitle} ${short}`, shortTitle: short };
};
/** Cube omits undefined fields in JSON; dropping them keeps deepEqual comparisons honest. */
const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function cubeMeta(model: CompiledModel, cube: Cube) {
  const cubeTitle = cube.title ?? titleize(cube.name);
  const visible = cube.public;
  const memberKind = (path: string) => model.members.get(path)?.kind;
  return compact({
    name: cube.name,
    type: cube.kind,
    title: cubeTitle,
    isVisible: visible,
    public: visible,
    description: cube.description,
    // Views are not in Cube's join graph, so their connectedComponent is absent.
    connectedComponent: cube.kind === 'cube' ? model.connectedComponents.get(cube.name) : undefined,
    meta: cube.meta,
    measures: [...cube.measures.values()].map((m) => measureMeta(cube, cubeTitle, m, visible && m.public, memberKind)),
    dimensions: [...cube.dimensions.values()].map((d) => dimensionMeta(cubeTitle, d, visible && d.public)),
    segments: [...cube.segments.values()].map((s) => segmentMeta(cubeTitle, s, visible && s.public)),
    hierarchies: cube.hierarchies.map((h) => compact({ ...h, name: `${cube.name}.${h.name}` })),
    folders: cube.folders.map((f) => ({ name: f.name, members: [...new Set(f.includes.map((i) => `${cube.name}.${i}`))] })),
    nestedFolders: cube.folders.map((f) => ({ name: f.name, members: f.includes.map((i) => `${cube.name}.${i}`) })),
  });
}

function measureMeta(cube: Cube, cubeTitle: string, m: Measure, isVisible: boolean, kind: (p: string) => string | undefined) {
  const type = measureDataType(m.type);
  const format = measureFormat(m.format);
  return compact({
    name: m.path,
    ...titles(cubeTitle, m),
    description: m.description,
    format,
    formatDescription: formatDescription(format, type, true, m.currency),
    currency: m.currency,
    cumulativeTotal: m.cumulative,
    cumulative: m.cumulative,
    type,
    aggType: m.type,
    drillMembers: [...m.drillMembers],
    drillMembersGrouped: {
      measures: m.drillMembers.filter((d) => kind(d) === 'measure'),
      dimensions: m.drillMembers.filter((d) => kind(d) === 'dimension'),
    },
    aliasMember: m.aliasOf?.member,
    meta: m.meta,
    isVisible,
    public: isVisible,
  });
}

function dimensionMeta(cubeTitle: string, d: Dimension, isVisible: boolean) {
  const format = dimensionFormat(d.format, d.type);
  return compact({
    name: d.path,
    title: titles(cubeTitle, d).title,
    type: d.type,
    description: d.description,
    shortTitle: titles(cubeTitle, d).shortTitle,
    suggestFilterValues: d.suggestFilterValues,
    format,
    formatDescription: formatDescription(format, d.type, false, d.currency),
    currency: d.currency,
    meta: d.meta,
    isVisible,
    public: isVisible,
    primaryKey: d.primaryKey,
    // Cube's geo view members have no sql, hence no aliasMember.
    aliasMember: d.type === 'geo' ? undefined : d.aliasOf?.member,
    granularities: d.type === 'time' && d.granularities.length > 0
      ? d.granularities.map((g) => compact({ name: g.name, title: g.title ?? titleize(g.name), interval: g.interval, offset: g.offset, origin: g.origin }))
      : undefined,
  });
}

function segmentMeta(cubeTitle: string, s: Segment, isVisible: boolean) {
  return compact({
    name: s.path,
    ...titles(cubeTitle, s),
    description: s.description,
    meta: s.meta,
    isVisible,
    public: isVisible,
  });
}
