// Loads one Cube YAML model file (`cubes:` / `views:`) into raw definitions, with a line for
// every cube and named member taken from the yaml package's node ranges.
import { isMap, isSeq, LineCounter, parseDocument, type Node } from 'yaml';
import { camelize, isRecord, normalizeProps } from './normalize-props.ts';
import { parseYamlSql } from './parse-yaml-sql.ts';
import type { LoadedFile, RawDefinition, ValueReader } from './raw-types.ts';

const NAMED_SECTIONS = ['measures', 'dimensions', 'segments', 'joins', 'pre_aggregations', 'hierarchies', 'cubes', 'folders'];

export const yamlReader: ValueReader = {
  sql(value) {
    if (typeof value === 'string') return parseYamlSql(value);
    if (typeof value === 'number' || typeof value === 'boolean') return [String(value)];
    throw new Error(`expected an SQL string, got ${describe(value)}`);
  },
  refs(value) {
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list)) throw new Error(`expected a list of member references, got ${describe(value)}`);
    return list.map((v) => yamlReader.ref(v));
  },
  ref(value) {
    if (typeof value !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*$/.test(value.trim())) {
      throw new Error(`expected a member reference like CUBE.name, got ${describe(value)}`);
    }
    return value.trim().split('.');
  },
};

export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s && s.length < 60 ? s : typeof value;
}

export function loadYaml(file: string, source: string): LoadedFile {
  const lineCounter = new LineCounter();
  const doc = parseDocument(source, { lineCounter, prettyErrors: false });
  const lineAt = (node: Node | null | undefined): number =>
    node?.range ? lineCounter.linePos(node.range[0]).line : 0;
  const errors: LoadedFile['errors'][number][] = [];
  // Jinja needs Cube's native Python runtime; say so instead of reporting YAML syntax errors.
  if (/\{%|\{\{/.test(source)) {
    const line = source.slice(0, source.search(/\{%|\{\{/)).split('\n').length;
    return { definitions: [], errors: [{ file, line, path: '', message: 'Jinja templates in YAML models are not supported' }] };
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      const line = e.linePos?.[0]?.line ?? lineCounter.linePos(e.pos[0]).line;
      errors.push({ file, line, path: '', message: `YAML syntax error: ${e.message.split('\n')[0]}` });
    }
    return { definitions: [], errors };
  }
  const root = doc.contents;
  if (root === null || root === undefined) return { definitions: [], errors };
  if (!isMap(root)) return { definitions: [], errors: [{ file, line: lineAt(root as Node), path: '', message: 'Top level of a model file must be a map with `cubes:` and/or `views:`' }] };
  const definitions: RawDefinition[] = [];
  for (const pair of root.items) {
    const key = String((pair.key as { value?: unknown })?.value ?? pair.key);
    const keyLine = lineAt(pair.key as Node);
    if (key !== 'cubes' && key !== 'views') {
      errors.push({ file, line: keyLine, path: '', message: `Unexpected YAML key: ${key}. Only 'cubes' and 'views' are allowed` });
      continue;
    }
    if (pair.value === null || pair.value === undefined) continue;
    if (!isSeq(pair.value)) {
      errors.push({ file, line: keyLine, path: '', message: `'${key}' must be a list` });
      continue;
    }
    for (const item of pair.value.items) {
      const js: unknown = (item as Node).toJSON();
      const line = lineAt(item as Node);
      if (!isRecord(js) || typeof js.name !== 'string' || js.name === '') {
        errors.push({ file, line, path: '', message: `Each item in '${key}' needs a 'name'` });
        continue;
      }
      const lines = memberLines(item as Node, lineAt);
      definitions.push({
        kind: key === 'cubes' ? 'cube' : 'view',
        name: js.name,
        props: normalizeProps(js, () => false) as Record<string, unknown>,
        file,
        line,
        lineOf: (path) => lines.get(path.join('.')) ?? line,
        reader: yamlReader,
      });
    }
  }
  return { definitions, errors };
}

/** `measures.count` → line, `cubes.orders.users` (views: join_path) → line. */
function memberLines(item: Node, lineAt: (n: Node | null | undefined) => number): Map<string, number> {
  const lines = new Map<string, number>();
  if (!isMap(item)) return lines;
  for (const pair of item.items) {
    const section = String((pair.key as { value?: unknown })?.value ?? '');
    if (!NAMED_SECTIONS.includes(section) || !isSeq(pair.value)) continue;
    for (const member of pair.value.items) {
      if (!isMap(member)) continue;
      const name = member.get('name') ?? member.get('join_path') ?? member.get('joinPath');
      if (typeof name === 'string') lines.set(`${camelize(section)}.${name}`, lineAt(member as Node));
    }
  }
  return lines;
}
