// Entry points of the model compiler: read every model file under the schema path (recursively)
// or take sources directly, load YAML/JS, and compile them into one model with all errors.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { compileDefinitions, type ModelOptions } from './compile-model.ts';
import { MarkerRegistry } from './js-refs.ts';
import { loadJs } from './load-js.ts';
import { loadYaml } from './load-yaml.ts';
import type { RawDefinition } from './raw-types.ts';
import type { CompiledModel, ModelError } from './types.ts';

export interface ModelSource { readonly path: string; readonly content: string }
export interface LoadedModel { readonly model: CompiledModel; readonly errors: readonly ModelError[] }

export const isModelFile = (name: string): boolean => /\.(ya?ml|js|cjs|jinja)$/i.test(name) && !/\.test\./.test(name);

export function compileModelFromSources(files: readonly ModelSource[], options: ModelOptions = {}): LoadedModel {
  const registry = new MarkerRegistry();
  const definitions: RawDefinition[] = [];
  const errors: ModelError[] = [];
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const loaded = /\.ya?ml$/i.test(file.path) ? loadYaml(file.path, file.content)
      : /\.c?js$/i.test(file.path) ? loadJs(file.path, file.content, registry)
        : { definitions: [], errors: [{ file: file.path, line: 0, path: '', message: /\.jinja$/i.test(file.path)
          ? 'Jinja templates are not supported; use plain YAML or JavaScript models'
          : 'Unsupported model file type; use .yml, .yaml or .js' }] };
    definitions.push(...loaded.definitions);
    errors.push(...loaded.errors);
  }
  return compileDefinitions(definitions, errors, options);
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
  return compileModelFromSources(await readModelSources(opts.schemaPath), { eventsTable: opts.eventsTable, compileContext: opts.compileContext });
}
