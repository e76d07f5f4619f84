// The SQL stage's modules form a tree (ARCHITECTURE.md, "Semantic layer"): no import loop among
// server/src/sql/ files (type imports included: they are loops of meaning all the same), and the
// stage imports nothing from the stages above it, nor do the stages below import it. Template
// expansion recurses into members and FILTER_PARAMS through ctx.renderers instead.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

const SRC = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** Absolute paths of the relative modules a file imports or re-exports. */
export function importsOf(file: string, text = readFileSync(file, 'utf8')): string[] {
  const specs = [...text.matchAll(/^\s*(?:import|export)\b[^;'"]*?(?:\bfrom\s*)?['"](\.{1,2}\/[^'"]+)['"]/gm)].map((m) => m[1]!);
  return specs.map((s) => resolve(dirname(file), s));
}

/** One import cycle as a list of files (first = last), or null. */
export function findCycle(graph: ReadonlyMap<string, readonly string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...stack.slice(stack.indexOf(node)), node];
    state.set(node, 'open');
    stack.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

test('findCycle finds a loop through three files and none in a tree', () => {
  assert.deepEqual(findCycle(new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['a']]])), ['a', 'b', 'c', 'a']);
  assert.equal(findCycle(new Map([['a', ['b', 'c']], ['b', ['c']], ['c', []]])), null);
  assert.deepEqual(importsOf('/x/sql/a.ts', "import type { T } from './b.ts';\nimport {\n  f,\n} from '../query/c.ts';\nexport { g } from './d/e.ts';\nconst s = 'from ./z.ts';"),
    ['/x/sql/b.ts', '/x/query/c.ts', '/x/sql/d/e.ts']);
});

test('server/src/sql/ has no import cycle', () => {
  const files = sourceFiles(join(SRC, 'sql'));
  const graph = new Map(files.map((f) => [f, importsOf(f).filter((i) => files.includes(i))]));
  const cycle = findCycle(graph);
  assert.equal(cycle, null, `import cycle: ${cycle?.map((f) => relative(SRC, f)).join(' → ')}`);
});

test('sql/ imports no stage above it, and the stages below it never import sql/', () => {
  const offending = (folder: string, forbidden: readonly string[]) => sourceFiles(join(SRC, folder)).flatMap((f) =>
    importsOf(f).filter((i) => forbidden.some((dir) => i.startsWith(join(SRC, dir) + '/'))).map((i) => `${relative(SRC, f)} → ${relative(SRC, i)}`));
  assert.deepEqual(offending('sql', ['api', 'graphql', 'funnels', 'preagg', 'drivers', 'auth']), []);
  for (const below of ['query', 'planner', 'model']) assert.deepEqual(offending(below, ['sql']), []);
});
