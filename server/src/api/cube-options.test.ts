import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadCubeOptions } from './cube-options.ts';

test('loads a CommonJS cube.js even inside a "type": "module" package, and ESM default exports', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-cubejs-'));
  try {
    await writeFile(join(dir, 'package.json'), '{"type":"module"}');
    await writeFile(join(dir, 'cube.js'), "const path = require('node:path');\nmodule.exports = { basePath: '/api', sep: path.sep, queryRewrite: (q) => q };\n");
    const cjs = await loadCubeOptions('cube.js', dir);
    assert.equal(cjs.basePath, '/api');
    assert.equal(cjs.sep, '/');
    assert.equal(typeof cjs.queryRewrite, 'function');
    await writeFile(join(dir, 'esm.js'), "export default { basePath: '/esm' };\n");
    assert.equal((await loadCubeOptions('esm.js', dir)).basePath, '/esm');
    assert.deepEqual(await loadCubeOptions('missing.js', dir), {});
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
