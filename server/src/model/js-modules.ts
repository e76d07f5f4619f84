// `import` / `export` in JS model files, as Cube allows (it transpiles them with Babel): the
// statements become `require` calls and `exports` assignments on the same lines, so errors keep
// their line numbers. Relative imports load other model files (their exports, not their cubes);
// packages and Node built-ins are not available to sandboxed model code.
import { posix } from 'node:path';

const IMPORT = /^([ \t]*)import\s+(?:([\w$]+)\s*,?\s*)?(?:\*\s+as\s+([\w$]+)|\{([^}]*)\})?\s*(?:from\s+)?(['"])([^'"]+)\5[ \t]*;?/gm;
const EXPORT_DECL = /^([ \t]*)export\s+(const|let|var|function\*?|async\s+function|class)\s+([\w$]+)/gm;
const EXPORT_DEFAULT = /^([ \t]*)export\s+default\s+/gm;
const EXPORT_LIST = /^([ \t]*)export\s*\{([^}]*)\}\s*(?:from\s+(['"])([^'"]+)\3)?[ \t]*;?/gm;

const bindings = (list: string): string[][] => list.split(',').map((s) => s.trim()).filter(Boolean)
  .map((s) => s.split(/\s+as\s+/).map((x) => x.trim()));

/** Line-preserving rewrite of ES module syntax to CommonJS for the model sandbox. */
export function rewriteModuleSyntax(source: string): string {
  if (!/^\s*(import|export)\b/m.test(source)) return source;
  const exported: string[] = [];
  let count = 0;
  let out = source.replace(IMPORT, (all, indent: string, def?: string, ns?: string, named?: string, _q?: string, id?: string) => {
    const keepLines = '\n'.repeat((all.match(/\n/g) ?? []).length);
    let req = `require(${JSON.stringify(id)})`;
    const parts: string[] = [];
    if (def && (ns || named !== undefined)) { parts.push(`const __import${++count} = ${req};`); req = `__import${count}`; }
    if (!def && !ns && named === undefined) parts.push(`${req};`);
    if (def) parts.push(`const ${def} = __importDefault(${req});`);
    if (ns) parts.push(`const ${ns} = ${req};`);
    if (named !== undefined) parts.push(`const { ${bindings(named).map(([a, b]) => (b ? `${a}: ${b}` : a)).join(', ')} } = ${req};`);
    return `${indent}${parts.join(' ')}${keepLines}`;
  });
  out = out.replace(EXPORT_DECL, (_all, indent: string, kind: string, name: string) => { exported.push(name); return `${indent}${kind} ${name}`; });
  out = out.replace(EXPORT_DEFAULT, (_all, indent: string) => `${indent}exports.default = `);
  out = out.replace(EXPORT_LIST, (all, indent: string, list: string, _q?: string, from?: string) => {
    const keepLines = '\n'.repeat((all.match(/\n/g) ?? []).length);
    const pairs = bindings(list);
    const src = from ? `require(${JSON.stringify(from)})` : undefined;
    return `${indent}${pairs.map(([a, b]) => `exports.${b ?? a} = ${src ? `${src}.${a}` : a};`).join(' ')}${keepLines}`;
  });
  // Declarations are exported at the end, once they exist (functions are hoisted anyway).
  return exported.length ? `${out}\n;${exported.map((n) => `exports.${n} = ${n};`).join(' ')}` : out;
}

export const importDefault = (m: unknown): unknown =>
  (m !== null && typeof m === 'object' && 'default' in (m as object) ? (m as { default: unknown }).default : m);

/** Resolves `require(id)` from model file `from` (a path relative to the model root). */
export interface ModuleHost {
  require(from: string, id: string): unknown;
}

export function createModuleHost(
  sources: ReadonlyMap<string, string>,
  evaluate: (file: string, source: string) => unknown,
): ModuleHost {
  const cache = new Map<string, { exports: unknown }>();
  return {
    require(from, id) {
      // Model code runs sandboxed: Node built-ins and packages stay out of reach.
      if (!id.startsWith('.')) throw new Error(`require('${id}') is not available in model files: only other model files can be imported (fetch and timers are there for asyncModule)`);
      const base = posix.normalize(posix.join(posix.dirname(from), id));
      const file = [base, `${base}.js`, `${base}.cjs`, `${base}/index.js`].find((f) => sources.has(f));
      if (!file) throw new Error(`Cannot find module '${id}' from '${from}'`);
      const cached = cache.get(file);
      if (cached) return cached.exports;
      const mod = { exports: {} as unknown };
      cache.set(file, mod);
      mod.exports = evaluate(file, sources.get(file)!);
      return mod.exports;
    },
  };
}
