// Compiles one (extends-merged) cube or view shell: its own properties, members, joins and
// hierarchies. Pre-aggregations and view includes need every cube first: see compile-model.ts.
import type { ErrorReporter } from './error-reporter.ts';
import type { Item, MergedDefinition } from './merge-extends.ts';
import { compileDimension, compileMeasure, compileSegment, type MemberContext } from './compile-member.ts';
import { compileJoin } from './compile-join.ts';
import { optContextBool } from './compile-context.ts';
import { compileRefreshKey } from './compile-pre-aggregation.ts';
import { checkKeys, optBool, optMeta, optString } from './member-props.ts';
import { isRecord } from './normalize-props.ts';
import { resolveMemberPath, resolveTemplate, type SymbolTable } from './resolve-template.ts';
import type { Cube, Dimension, Hierarchy, Join, Measure, Segment } from './types.ts';

const CUBE_KEYS = new Set([
  'name', 'sql', 'sqlTable', 'dataSource', 'title', 'description', 'sqlAlias', 'public', 'shown', 'meta',
  'refreshKey', 'rewriteQueries', 'calendar', 'accessPolicy', 'fileName',
]);
const VIEW_KEYS = new Set(['name', 'title', 'description', 'public', 'shown', 'meta', 'includes', 'excludes', 'accessPolicy', 'fileName']);

/** A cube before pre-aggregations (and, for views, before includes) are attached. */
export type CubeShell = Omit<Cube, 'preAggregations'> & { measures: Map<string, Measure>; dimensions: Map<string, Dimension>; segments: Map<string, Segment> };

export function compileCube(merged: MergedDefinition, symbols: SymbolTable, reporter: ErrorReporter): CubeShell {
  const { def } = merged;
  const isView = def.kind === 'view';
  const resolve = { symbols, cube: def.name };
  const scalar = (key: string): unknown => merged.props[key]?.value;
  const guard = <T>(at: string, fn: () => T): T | undefined => {
    try { return fn(); } catch (e) { reporter.report(merged.props[at]?.origin ?? def, at ? [at] : [], (e as Error).message, def.name); return undefined; }
  };
  guard('', () => checkKeys(Object.fromEntries(Object.entries(merged.props).map(([k, v]) => [k, v.value])), isView ? VIEW_KEYS : CUBE_KEYS, isView ? 'view' : 'cube'));
  const template = (key: string) => {
    const entry = merged.props[key];
    return entry === undefined ? undefined : guard(key, () => resolveTemplate(entry.origin.reader.sql(entry.value), resolve));
  };
  if (!isView) {
    if (scalar('sql') === undefined && scalar('sqlTable') === undefined) reporter.report(def, [], `Cube '${def.name}' needs 'sql' or 'sql_table'`, def.name);
    if (scalar('sql') !== undefined && scalar('sqlTable') !== undefined) reporter.report(def, [], `You must use either sql or sql_table within cube '${def.name}', but not both`, def.name);
  }
  // Cube lets a view define its own members only when they are computed over its included
  // members in a later stage: multi-stage members and switch dimensions.
  const allowedInView = (i: Item): boolean => i.props.multiStage === true || i.props.type === 'switch';
  if (isView) {
    for (const section of ['measures', 'dimensions', 'segments'] as const) {
      for (const i of merged.sections[section].filter((x) => section === 'segments' || !allowedInView(x))) {
        reporter.report(i.origin, [section, i.name], `View '${def.name}' defines own member '${def.name}.${i.name}'. Please move this member definition to one of the cubes, or make it multi_stage.`);
      }
    }
  }
  const ctx: MemberContext = { resolve, reporter, autoPrefix: !isView };
  const own = <T>(section: 'measures' | 'dimensions' | 'segments', fn: (i: Item) => T): T[] =>
    merged.sections[section].filter((i) => !isView || (section !== 'segments' && allowedInView(i))).map(fn);
  const byName = <T extends { name: string }>(list: (T | undefined)[]): Map<string, T> =>
    new Map(list.filter((x): x is T => x !== undefined).map((x) => [x.name, x]));
  const measures = byName(own('measures', (i) => compileMeasure(i, ctx)));
  const dimensions = byName(own('dimensions', (i) => compileDimension(i, ctx)));
  const segments = byName(own('segments', (i) => compileSegment(i, ctx)));
  const joins = isView ? [] : merged.sections.joins.map((i) => compileJoin(i, resolve, reporter)).filter((j): j is Join => j !== undefined);
  const hierarchies = merged.sections.hierarchies.flatMap((i): Hierarchy[] => {
    try {
      checkKeys(i.props, new Set(['name', 'title', 'public', 'levels']), 'hierarchy');
      return [{
        name: i.name, title: optString(i.props.title, 'title'), public: optContextBool(i.props.public, 'public', symbols.compileContext) ?? true,
        levels: i.origin.reader.refs(i.props.levels ?? []).map((r) => resolveMemberPath(r, resolve)),
      }];
    } catch (e) { reporter.report(i.origin, ['hierarchies', i.name], (e as Error).message); return []; }
  });
  const folders = merged.sections.folders.flatMap((i) => {
    const inc = i.props.includes;
    if (!Array.isArray(inc) || !inc.every((x) => typeof x === 'string' || isRecord(x))) {
      reporter.report(i.origin, ['folders', i.name], `folder '${i.name}' needs an 'includes' list`);
      return [];
    }
    return [{ name: i.name, includes: inc.map((x) => (typeof x === 'string' ? x : String(x.name))) }];
  });
  const refreshKeyEntry = merged.props.refreshKey;
  return {
    name: def.name,
    kind: def.kind,
    title: guard('title', () => optString(scalar('title'), 'title')),
    description: guard('description', () => optString(scalar('description'), 'description')),
    meta: guard('meta', () => optMeta(scalar('meta'))),
    sql: template('sql'),
    sqlTable: template('sqlTable'),
    sqlAlias: guard('sqlAlias', () => optString(scalar('sqlAlias'), 'sql_alias')),
    dataSource: guard('dataSource', () => optString(scalar('dataSource'), 'data_source')) ?? 'default',
    public: guard('public', () => optContextBool(scalar('public'), 'public', symbols.compileContext) ?? optContextBool(scalar('shown'), 'shown', symbols.compileContext)) ?? true,
    refreshKey: refreshKeyEntry === undefined ? undefined
      : guard('refreshKey', () => compileRefreshKey(refreshKeyEntry.value, refreshKeyEntry.origin.reader, resolve)),
    extends: merged.extends,
    measures, dimensions, segments, joins, hierarchies, folders,
    primaryKeys: [...dimensions.values()].filter((d) => d.primaryKey).map((d) => d.name),
    ...(guard('calendar', () => optBool(scalar('calendar'), 'calendar')) ? { calendar: true } : {}),
    location: { file: def.file, line: def.line },
  };
}
