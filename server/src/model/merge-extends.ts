// Applies `extends`: a cube inherits its parent's members, joins and pre-aggregations, the
// child's own definitions winning by name (Cube's CubeSymbols), with cycles reported.
import type { ErrorReporter } from './error-reporter.ts';
import { isRecord } from './normalize-props.ts';
import type { RawDefinition } from './raw-types.ts';

export const SECTIONS = ['measures', 'dimensions', 'segments', 'joins', 'preAggregations', 'hierarchies', 'cubes', 'folders'] as const;
export type Section = (typeof SECTIONS)[number];

export interface Item { readonly props: Readonly<Record<string, unknown>>; readonly name: string; readonly origin: RawDefinition }

export interface MergedDefinition {
  readonly def: RawDefinition;
  /** Scalar props (everything but SECTIONS), merged; `origin` says whose reader parses each. */
  readonly props: Readonly<Record<string, { value: unknown; origin: RawDefinition }>>;
  readonly sections: Readonly<Record<Section, readonly Item[]>>;
  readonly extends?: string;
}

export function mergeExtends(defs: readonly RawDefinition[], reporter: ErrorReporter): MergedDefinition[] {
  const byName = new Map(defs.map((d) => [d.name, d]));
  const done = new Map<string, MergedDefinition>();

  const merge = (def: RawDefinition, stack: readonly string[]): MergedDefinition => {
    const cached = done.get(def.name);
    if (cached) return cached;
    const own = ownDefinition(def, reporter);
    let result = own;
    const parentName = own.extends;
    if (parentName !== undefined) {
      const parent = byName.get(parentName);
      if (!parent || parent.kind !== def.kind) {
        reporter.report(def, ['extends'], `${def.kind === 'cube' ? 'Cube' : 'View'} '${def.name}' extends unknown ${def.kind} '${parentName}'`, def.name);
      } else if (stack.includes(parentName) || parentName === def.name) {
        reporter.report(def, ['extends'], `Circular extends: ${[...stack, def.name, parentName].join(' -> ')}`, def.name);
      } else {
        result = combine(merge(parent, [...stack, def.name]), own);
      }
    }
    done.set(def.name, result);
    return result;
  };
  return defs.map((d) => merge(d, []));
}

function ownDefinition(def: RawDefinition, reporter: ErrorReporter): MergedDefinition {
  const props: Record<string, { value: unknown; origin: RawDefinition }> = {};
  const sections = Object.fromEntries(SECTIONS.map((s) => [s, [] as Item[]])) as Record<Section, Item[]>;
  let parent: string | undefined;
  for (const [key, value] of Object.entries(def.props)) {
    if ((SECTIONS as readonly string[]).includes(key)) {
      const section = key as Section;
      if (!Array.isArray(value)) { reporter.report(def, [key], `'${key}' must be a list`); continue; }
      value.forEach((item, i) => {
        if (!isRecord(item)) { reporter.report(def, [key], `'${key}' item ${i + 1} must be an object`); return; }
        const name = itemName(section, item, def);
        if (name === undefined) { reporter.report(def, [key], `'${key}' item ${i + 1} needs a 'name'`); return; }
        if (sections[section].some((x) => x.name === name)) {
          reporter.report(def, [key, name], `Duplicate ${section === 'cubes' ? 'join path' : 'name'} '${name}' in ${key}`);
          return;
        }
        sections[section].push({ props: item, name, origin: def });
      });
    } else if (key === 'extends') {
      const ref = reporterGuard(reporter, def, () => def.reader.ref(value));
      if (ref) parent = ref.join('.');
    } else {
      props[key] = { value, origin: def };
    }
  }
  return { def, props, sections, extends: parent };
}

function itemName(section: Section, item: Record<string, unknown>, def: RawDefinition): string | undefined {
  if (section === 'cubes') {
    try { return def.reader.ref(item.joinPath).join('.'); } catch { return undefined; }
  }
  return typeof item.name === 'string' && item.name !== '' ? item.name : undefined;
}

function reporterGuard<T>(reporter: ErrorReporter, def: RawDefinition, fn: () => T): T | undefined {
  return reporter.guard(def, ['extends'], fn);
}

function combine(parent: MergedDefinition, child: MergedDefinition): MergedDefinition {
  const props = { ...parent.props };
  // A child's sql_table hides the parent's sql and vice versa.
  if ('sql' in child.props || 'sqlTable' in child.props) { delete props.sql; delete props.sqlTable; }
  Object.assign(props, child.props);
  const sections = {} as Record<Section, Item[]>;
  for (const s of SECTIONS) {
    const own = new Set(child.sections[s].map((i) => i.name));
    sections[s] = [...parent.sections[s].filter((i) => !own.has(i.name)), ...child.sections[s]];
  }
  return { def: child.def, props, sections, extends: child.extends };
}
