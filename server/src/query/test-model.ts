// Test helper: compiles YAML model sources in memory with the model engineer's compiler and
// fails loudly on model errors, so query tests run against the real compiled model.
import { compileDefinitions } from '../model/compile-model.ts';
import { loadYaml } from '../model/load-yaml.ts';
import type { CompiledModel } from '../model/types.ts';

export function compileYamlModel(files: Record<string, string>): CompiledModel {
  const loaded = Object.entries(files).map(([path, src]) => loadYaml(path, src));
  const { model, errors } = compileDefinitions(loaded.flatMap((l) => l.definitions), loaded.flatMap((l) => l.errors));
  if (errors.length) throw new Error(`model errors: ${errors.map((e) => `${e.file}:${e.line} ${e.path} ${e.message}`).join('; ')}`);
  return model;
}
