// Test helper: compiles model sources in memory with the model engineer's compiler and fails
// loudly on model errors, so query tests run against the real compiled model.
import { compileModelFromSources } from '../model/index.ts';
import type { CompiledModel } from '../model/types.ts';

export function compileYamlModel(files: Record<string, string>): CompiledModel {
  const { model, errors } = compileModelFromSources(Object.entries(files).map(([path, content]) => ({ path, content })));
  if (errors.length) throw new Error(`model errors: ${errors.map((e) => `${e.file}:${e.line} ${e.path} ${e.message}`).join('; ')}`);
  return model;
}
