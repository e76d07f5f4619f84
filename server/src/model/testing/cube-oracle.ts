// Test helper: compiles model sources with Cube's own schema compiler (installed with Cube's
// drivers) so our /v1/meta can be compared with the original. Jinja needs Cube's native
// module, which cannot be installed here, so its engine set-up is stubbed out.
import { createRequire } from 'node:module';

interface CubeCompilerApi {
  prepareCompiler(repo: unknown, opts: unknown): {
    compiler: { compile(): Promise<void>; yamlCompiler: { initFromPythonContext(): void }; workerPool?: { terminate(): Promise<void> } };
    metaTransformer: { cubes: { config: Record<string, unknown> }[] };
  };
}

function loadCube(): CubeCompilerApi | undefined {
  try {
    return createRequire(new URL('../../../package.json', import.meta.url))('@cubejs-backend/schema-compiler') as CubeCompilerApi;
  } catch {
    return undefined;
  }
}

export const cubeCompilerAvailable = loadCube() !== undefined;

/** Cube's meta configs for the sources, or the error message Cube's compile raised. */
export async function cubeMeta(files: readonly { path: string; content: string }[]): Promise<{ cubes: Record<string, unknown>[]; error?: string }> {
  const api = loadCube();
  if (!api) throw new Error('@cubejs-backend/schema-compiler is not installed');
  const repo = {
    localPath: () => '/',
    dataSchemaFiles: async () => files.map((f) => ({ fileName: f.path, content: f.content })),
  };
  const { compiler, metaTransformer } = api.prepareCompiler(repo, { adapter: 'postgres' });
  compiler.yamlCompiler.initFromPythonContext = () => undefined;
  let error: string | undefined;
  try {
    await compiler.compile();
  } catch (e) {
    error = (e as Error).message;
  } finally {
    await compiler.workerPool?.terminate();
  }
  // Round-trip through JSON: that is what /v1/meta sends.
  return { cubes: JSON.parse(JSON.stringify(metaTransformer.cubes.map((c) => c.config))), error };
}
