// Entry points of the model compiler: read every model file under the schema path (recursively)
// or take sources directly, load YAML/JS, and compile them into one model with all errors.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileDefinitions, type ModelOptions } from './compile-model.ts';
import { MarkerRegistry } from './js-refs.ts';
import { loadJs } from './load-js.ts';
import { loadYaml } from './load-yaml.ts';
import { createModuleHost } from './js-modules.ts';
import type { LoadedFile } from './raw-types.ts';
import type { CompiledModel, ModelError } from './types.ts';

export interface ModelSource { readonly path: string; readonly content: string }
export interface LoadedModel { readonly model: CompiledModel; readonly errors: readonly ModelError[] }

export const isModelFile = (name: string): boolean => /\.(ya?ml|js|cjs|jinja)$/i.test(name) && !/\.test\./.test(name);

function loadAll(files: readonly ModelSource[]) {
  const registry = new MarkerRegistry();
  const sorted = [...files].sort((a, b) => a.path.localeCompare(b.path));
  const host = createModuleHost(new Map(sorted.map((f) => [f.path, f.content])), (file, content) => {
    const loaded = loadJs(file, content, registry, { host, asModule: true });
    if (loaded.errors.length > 0) throw new Error(`${loaded.errors[0].message} (${file}:${loaded.errors[0].line})`);
    return loaded.exports;
  });
  return sorted.map((file) => (/\.ya?ml$/i.test(file.path) ? { ...loadYaml(file.path, file.content), asyncModules: [] }
    : /\.c?js$/i.test(file.path) ? loadJs(file.path, file.content, registry, { host })
      : { definitions: [], asyncModules: [], errors: [{ file: file.path, line: 0, path: '', message: /\.jinja$/i.test(file.path)
        ? 'Jinja templates are not supported; use plain YAML or JavaScript models'
        : 'Unsupported model file type; use .yml, .yaml or .js' }] }));
}

function compileLoaded(loaded: readonly LoadedFile[], options: ModelOptions): LoadedModel {
  return compileDefinitions(loaded.flatMap((l) => l.definitions), loaded.flatMap((l) => l.errors), options);
}

/** Synchronous compile; a file using asyncModule() needs compileModelFromSourcesAsync (or loadModel). */
export function compileModelFromSources(files: readonly ModelSource[], options: ModelOptions = {}): LoadedModel {
  const loaded = loadAll(files).map((l, i) => (l.asyncModules.length === 0 ? l : {
    ...l, errors: [...l.errors, { file: [...files].sort((a, b) => a.path.localeCompare(b.path))[i].path, line: 0, path: '', message: 'asyncModule() needs the asynchronous model loader' }],
  }));
  return compileLoaded(loaded, options);
}

/** Compiles after awaiting every file's asyncModule() callbacks, in file order (as Cube does). */
export async function compileModelFromSourcesAsync(files: readonly ModelSource[], options: ModelOptions = {}): Promise<LoadedModel> {
  const loaded = loadAll(files);
  for (const l of loaded) for (const run of l.asyncModules) await run();
  return compileLoaded(loaded, options);
}

/** All model files under dir, as paths relative to it with '/' separators. */
export async function readModelSources(dir: string): Promise<ModelSource[]> {
  const out: ModelSource[] = [];
  const walk = async (d: string): Promise<void> => {
    let entries;
    try {
      entries = await readdir(d, { withFileTypes: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT' && d === dir) throw new Error(`Schema path '${dir}' does not exist (CUBEJS_SCHEMA_PATH)`);
      throw e;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = join(d, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isModelFile(entry.name)) {
        out.push({ path: relative(dir, full).split(sep).join('/'), content: await readFile(full, 'utf8') });
      }
    }
  };
  await walk(dir);
  return out;
}

export async function loadModel(opts: { readonly schemaPath: string } & ModelOptions): Promise<LoadedModel> {
  return compileModelFromSourcesAsync(await readModelSources(opts.schemaPath), { eventsTable: opts.eventsTable, compileContext: opts.compileContext });
}
