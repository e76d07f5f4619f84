// Runs one JS model file (`cube('name', {...})`, `view(...)`) in a node:vm sandbox where every
// unknown identifier is a reference stand-in (see js-refs.ts), and returns raw definitions.
import vm from 'node:vm';
import { refPath, MarkerRegistry } from './js-refs.ts';
import { importDefault, rewriteModuleSyntax, type ModuleHost } from './js-modules.ts';
import { describe } from './load-yaml.ts';
import { isRecord, normalizeProps } from './normalize-props.ts';
import type { LoadedFile, RawDefinition, ValueReader } from './raw-types.ts';

const SANDBOX_TIMEOUT_MS = 5000;
// Only language builtins come from the host; any other free identifier (even `process`,
// `crypto` or `name`) is a model reference, so member names never collide with Node globals.
const BUILTINS = new Set([
  'Object', 'Array', 'String', 'Number', 'Boolean', 'Math', 'JSON', 'Date', 'RegExp', 'Symbol', 'BigInt',
  'Map', 'Set', 'WeakMap', 'WeakSet', 'Promise', 'Reflect', 'Proxy', 'Intl', 'Error', 'TypeError',
  'RangeError', 'SyntaxError', 'ReferenceError', 'parseInt', 'parseFloat', 'isNaN', 'isFinite',
  'encodeURIComponent', 'decodeURIComponent', 'encodeURI', 'decodeURI', 'undefined', 'NaN', 'Infinity',
  'console', 'structuredClone',
  // For asyncModule(): fetching definitions from a service, as in Cube's dynamic data models.
  'setTimeout', 'clearTimeout', 'queueMicrotask', 'fetch', 'URL', 'URLSearchParams', 'AbortController',
  'TextEncoder', 'TextDecoder',
]);

function jsReader(registry: MarkerRegistry): ValueReader {
  const reader: ValueReader = {
    sql: (value) => registry.template(value),
    ref(value) {
      if (typeof value === 'function') return reader.ref((value as () => unknown)());
      const path = refPath(value);
      if (path) return path;
      if (typeof value === 'string' && /^[A-Za-z_]\w*(\.[A-Za-z_]\w*)*$/.test(value.trim())) return value.trim().split('.');
      throw new Error(`expected a member reference, got ${describe(value)}`);
    },
    refs(value) {
      if (typeof value === 'function') return reader.refs((value as () => unknown)());
      if (!Array.isArray(value)) throw new Error(`expected a list of member references, got ${describe(value)}`);
      return value.map((v) => reader.ref(v));
    },
  };
  return reader;
}

/** Line of the innermost stack frame in `file`, 0 if none. */
export function lineFromStack(stack: string | undefined, file: string): number {
  if (!stack) return 0;
  for (const line of stack.split('\n')) {
    const at = line.indexOf(`${file}:`);
    if (at < 0) continue;
    const m = line.slice(at + file.length + 1).match(/^(\d+)/);
    if (m) return Number(m[1]);
  }
  return 0;
}

export interface LoadJsOptions {
  /** Resolves `require`/`import` (see js-modules.ts); without it only the file itself runs. */
  readonly host?: ModuleHost;
  /** Evaluated for another file's `import`: cube()/view() calls are that file's own business. */
  readonly asModule?: boolean;
}

export interface LoadedJsFile extends LoadedFile {
  /** `module.exports` after the run (what an `import` of this file gets). */
  readonly exports: unknown;
  /** `asyncModule(fn)` callbacks, to be awaited by the async loader; each reports its own errors. */
  readonly asyncModules: readonly (() => Promise<void>)[];
}

export function loadJs(file: string, source: string, registry = new MarkerRegistry(), opts: LoadJsOptions = {}): LoadedJsFile {
  const definitions: RawDefinition[] = [];
  const errors: LoadedFile['errors'][number][] = [];
  const asyncModules: (() => Promise<void>)[] = [];
  const reader = jsReader(registry);
  const sourceLines = source.split('\n');
  const isOpaque = (v: unknown): boolean => refPath(v) !== undefined;

  const define = (kind: 'cube' | 'view') => (name: unknown, def: unknown): void => {
    if (opts.asModule) return;
    const line = lineFromStack(new Error().stack, file);
    const cubeName = refPath(name)?.join('.') ?? name;
    if (typeof cubeName !== 'string' || cubeName === '' || !isRecord(def)) {
      errors.push({ file, line, path: '', message: `${kind}() needs a name and a definition object` });
      return;
    }
    definitions.push({
      kind, name: cubeName, file, line, reader,
      props: { ...(normalizeProps(def, isOpaque) as Record<string, unknown>), name: cubeName },
      lineOf: (path) => findLine(sourceLines, line, path),
    });
  };
  const failure = (e: unknown): void => {
    const err = e as Error;
    const line = lineFromStack(err?.stack, file);
    errors.push({ file, line, path: '', message: `${err?.name === 'SyntaxError' ? 'JavaScript syntax error' : 'Error running model file'}: ${err?.message ?? String(e)}` });
  };
  const module = { exports: {} as unknown };
  const globals: Record<string, unknown> = {
    cube: define('cube'),
    view: define('view'),
    context: () => undefined,
    // Cube runs these after the file, awaiting each; cube() calls inside still define cubes.
    asyncModule: (fn: unknown) => {
      if (typeof fn !== 'function') throw new Error('asyncModule() needs a function');
      if (!opts.asModule) asyncModules.push(async () => { try { await (fn as () => unknown)(); } catch (e) { failure(e); } });
    },
    require: (id: unknown) => {
      if (typeof id !== 'string') throw new Error('require() needs a module name');
      if (!opts.host) throw new Error(`require('${id}') is not available here`);
      return opts.host.require(file, id);
    },
    __importDefault: importDefault,
    FILTER_GROUP: (...args: unknown[]) => registry.filterGroup(args),
    module,
    get exports() { return module.exports; },
  };
  const sandbox = new Proxy(globals, {
    has: (t, k) => k in t || (typeof k === 'string' && !BUILTINS.has(k)),
    get: (t, k) => {
      if (k in t) return t[k as string];
      if (typeof k === 'string' && !BUILTINS.has(k)) return registry.ref([k]);
      return typeof k === 'string' ? (globalThis as Record<string, unknown>)[k] : undefined;
    },
  });
  try {
    const script = new vm.Script(rewriteModuleSyntax(source), { filename: file });
    script.runInContext(vm.createContext(sandbox), { timeout: SANDBOX_TIMEOUT_MS });
  } catch (e) {
    failure(e);
  }
  return { definitions, errors, exports: module.exports, asyncModules };
}

/** Heuristic line of `path` (e.g. ['measures','count']) in the source, from the cube's line on. */
function findLine(lines: readonly string[], from: number, path: readonly string[]): number {
  let at = Math.max(from - 1, 0);
  for (const key of path) {
    const re = new RegExp(`(^|[\\s{,'"\`])${key.replace(/[$]/g, '\\$')}['"\`]?\\s*:`);
    let found = -1;
    for (let i = at; i < lines.length; i++) if (re.test(lines[i])) { found = i; break; }
    if (found < 0) return from;
    at = found;
  }
  return at + 1;
}
