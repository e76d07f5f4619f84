// Model compiler figures: cold compile of the shipped schema/ (what a server start or a
// dev-mode reload costs) and /v1/meta generation, with Cube's own schema compiler on the same
// files as the baseline.
import type { BenchResult } from './run.ts';
import { compileModelFromSources, readModelSources } from '../server/src/model/load-model.ts';
import { toMeta } from '../server/src/model/to-meta.ts';
import { cubeCompilerAvailable, cubeMeta } from '../server/src/model/testing/cube-oracle.ts';

async function timeMs(runs: number, fn: () => unknown): Promise<number> {
  await fn();
  const start = performance.now();
  for (let i = 0; i < runs; i++) await fn();
  return (performance.now() - start) / runs;
}

export async function bench(): Promise<BenchResult[]> {
  const schemaPath = new URL('../schema', import.meta.url).pathname;
  const sources = await readModelSources(schemaPath);
  const ours = await timeMs(20, () => compileModelFromSources(sources));
  const baseline = cubeCompilerAvailable
    ? { name: 'Cube 1.7 schema-compiler (compile + meta)', value: await timeMs(3, () => cubeMeta(sources)) }
    : undefined;
  const { model } = compileModelFromSources(sources);
  const meta = await timeMs(200, () => toMeta(model, { visibleOnly: true }));
  return [
    { name: `model: compile schema/ (${sources.length} files)`, value: ours, unit: 'ms', ...(baseline ? { baseline } : {}) },
    { name: 'model: toMeta(visibleOnly)', value: meta, unit: 'ms' },
  ];
}
