// Turns raw definitions from all model files into one frozen CompiledModel, collecting every
// error on the way: extends → symbols → cubes → joins → pre-aggregations → views → checks.
import { compileCube, type CubeShell } from './compile-cube.ts';
import { compilePreAggregation } from './compile-pre-aggregation.ts';
import { compileViewMembers } from './compile-view.ts';
import { ErrorReporter } from './error-reporter.ts';
import { finalize } from './finalize.ts';
import { mergeExtends } from './merge-extends.ts';
import { checkPrimaryKeys, connectedComponents, findCycles } from './model-graph.ts';
import type { RawDefinition } from './raw-types.ts';
import { DEFAULT_EVENTS_TABLE, resolveTemplate, type SymbolTable } from './resolve-template.ts';
import type { CompiledModel, Cube, Join, Member, ModelError, PreAggregation } from './types.ts';

const NAME = /^[_a-zA-Z][_a-zA-Z0-9]*$/;

/** Deployment settings the model's SQL refers to, fixed for the whole compile. */
export interface ModelOptions {
  /** What `{EVENTS_TABLE}` stands for (WEBCUBE_EVENTS_TABLE); atomic.events by default. */
  readonly eventsTable?: string;
  /**
   * COMPILE_CONTEXT for the values the compiler evaluates (`public: COMPILE_CONTEXT...`): build
   * it with compileContextOf(securityContext). Without it those read as absent (false).
   */
  readonly compileContext?: Readonly<Record<string, unknown>>;
}

export function compileDefinitions(
  definitions: readonly RawDefinition[],
  loadErrors: readonly ModelError[] = [],
  options: ModelOptions = {},
): { model: CompiledModel; errors: readonly ModelError[] } {
  const reporter = new ErrorReporter();
  loadErrors.forEach((e) => reporter.add(e));

  const unique = new Map<string, RawDefinition>();
  for (const def of definitions) {
    if (!NAME.test(def.name)) { reporter.report(def, [], `Invalid ${def.kind} name '${def.name}': use letters, digits and _`, def.name); continue; }
    const prev = unique.get(def.name);
    if (prev) { reporter.report(def, [], `Duplicate ${def.kind} name '${def.name}' (already defined in ${prev.file}:${prev.line})`, def.name); continue; }
    unique.set(def.name, def);
  }
  const merged = mergeExtends([...unique.values()], reporter);

  const members = new Map<string, Set<string>>();
  for (const m of merged) {
    const names = new Set<string>();
    // Cube keeps members, pre-aggregations and hierarchies in one namespace per cube.
    const taken = new Set<string>();
    for (const section of ['measures', 'dimensions', 'segments', 'preAggregations', 'hierarchies'] as const) {
      for (const item of m.sections[section]) {
        if (taken.has(item.name)) {
          reporter.report(item.origin, [section, item.name], `Duplicate name '${item.name}' in ${m.def.kind} '${m.def.name}': ${item.name} defined more than once (measures, dimensions, segments, pre-aggregations and hierarchies share one namespace)`);
        }
        taken.add(item.name);
        if (section === 'measures' || section === 'dimensions' || section === 'segments') names.add(item.name);
      }
    }
    members.set(m.def.name, names);
  }
  const byName = new Map(merged.map((m) => [m.def.name, m]));
  const inlining: string[] = [];
  const symbols: SymbolTable = {
    members, views: new Set(merged.filter((m) => m.def.kind === 'view').map((m) => m.def.name)),
    eventsTable: options.eventsTable ?? DEFAULT_EVENTS_TABLE,
    compileContext: options.compileContext,
    // `{other.sql()}`: the other cube's SQL resolved in its own context (Cube's cube.sql()).
    cubeSql: (cube, from) => {
      const m = byName.get(cube)!;
      if (inlining.includes(cube) || cube === from && inlining.length === 0) throw new Error(`Circular ${cube}.sql() reference: ${[...inlining, from, cube].join(' -> ')}`);
      const sql = m.props.sql ?? m.props.sqlTable;
      if (!sql) throw new Error(`Cube '${cube}' has no sql or sql_table for ${cube}.sql()`);
      inlining.push(from);
      try {
        const t = resolveTemplate(sql.origin.reader.sql(sql.value), { symbols, cube });
        return m.props.sql ? [...t] : ['SELECT * FROM ', ...t];
      } finally { inlining.pop(); }
    },
  };

  const shells = new Map<string, CubeShell>(merged.map((m) => [m.def.name, compileCube(m, symbols, reporter)]));
  const joins: Join[] = [...shells.values()].flatMap((c) => c.joins);
  const joinsFrom = groupBy(joins, (j) => j.from);
  const joinsTo = groupBy(joins, (j) => j.to);

  const memberIndex = new Map<string, Member>();
  const addMembers = (c: CubeShell): void => {
    for (const m of [...c.measures.values(), ...c.dimensions.values(), ...c.segments.values()]) memberIndex.set(m.path, m);
  };
  [...shells.values()].filter((c) => c.kind === 'cube').forEach(addMembers);

  const preAggregations = new Map<string, PreAggregation>();
  const cubes = new Map<string, Cube>();
  const preAggNames = new Set(merged.flatMap((m) => m.sections.preAggregations.map((p) => `${m.def.name}.${p.name}`)));
  for (const m of merged) {
    const shell = shells.get(m.def.name)!;
    const own = new Map<string, PreAggregation>();
    if (shell.kind === 'cube') {
      for (const item of m.sections.preAggregations) {
        const pa = compilePreAggregation(item, {
          resolve: { symbols, cube: shell.name }, reporter,
          member: (p) => memberIndex.get(p),
          preAggregationExists: (p) => preAggNames.has(p),
        });
        if (pa) { own.set(pa.name, pa); preAggregations.set(pa.path, pa); }
      }
    } else if (m.sections.preAggregations.length > 0) {
      reporter.report(m.def, ['preAggregations'], `Views cannot define pre-aggregations; define them on cube '${m.def.name}''s cubes`);
    }
    cubes.set(shell.name, { ...shell, preAggregations: own });
  }

  const viewRoots = new Map<string, string | undefined>();
  for (const m of merged.filter((x) => x.def.kind === 'view')) {
    const view = cubes.get(m.def.name)! as CubeShell & Cube;
    const { members: included, root } = compileViewMembers(m, { cubes, joinsFrom, reporter });
    viewRoots.set(view.name, root);
    for (const member of included) {
      const clash = view.measures.has(member.name) || view.dimensions.has(member.name) || view.segments.has(member.name);
      if (clash) { reporter.report(m.def, ['cubes'], `Included member '${member.name}' conflicts with a member defined in view '${view.name}'`); continue; }
      if (member.kind === 'measure') view.measures.set(member.name, member);
      else if (member.kind === 'dimension') view.dimensions.set(member.name, member);
      else view.segments.set(member.name, member);
    }
    addMembers(view);
  }

  checkPrimaryKeys(cubes, joins, reporter);
  findCycles(memberIndex, reporter);
  const model: CompiledModel = {
    cubes,
    members: memberIndex,
    joins,
    joinsFrom,
    joinsTo,
    connectedComponents: connectedComponents(joins, viewRoots),
    preAggregations,
  };
  return { model: finalize(model), errors: Object.freeze([...reporter.errors].map((e) => Object.freeze(e))) };
}

function groupBy<T>(items: readonly T[], key: (t: T) => string): Map<string, readonly T[]> {
  const out = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    out.set(k, [...(out.get(k) ?? []), item]);
  }
  return out;
}
