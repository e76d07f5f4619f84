// ES module syntax in JS model files becomes CommonJS on the same lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import vm from 'node:vm';
import { importDefault, rewriteModuleSyntax } from './js-modules.ts';

describe('rewriteModuleSyntax', () => {
  const source = [
    "import def, { a, b as c } from './x';",
    "import * as ns from 'pkg';",
    "import {",
    '  d,',
    "} from './y';",
    "import './side';",
    'export const one = 1;',
    'export function two() { return 2; }',
    'export default { three: 3 };',
    "export { a as four };",
    'const line = new Error().stack;',
  ].join('\n');

  it('keeps every statement on its line and binds what the imports name', () => {
    const out = rewriteModuleSyntax(source);
    const required: string[] = [];
    const modules: Record<string, unknown> = { './x': { default: 'D', a: 'A', b: 'B' }, pkg: { n: 1 }, './y': { d: 'Dy' }, './side': {} };
    const exports: Record<string, unknown> = {};
    const context = vm.createContext({
      exports, __importDefault: importDefault,
      require: (id: string) => { required.push(id); return modules[id]; },
    });
    vm.runInContext(`${out}\n;globalThis.seen = [def, a, c, ns.n, d, line];`, context, { filename: 'm.js' });
    const seen = Array.from((context as { seen: unknown[] }).seen);
    assert.deepEqual(seen.slice(0, 5), ['D', 'A', 'B', 1, 'Dy']);
    assert.match(String(seen[5]), /m\.js:11:/, 'the Error on line 11 still reports line 11');
    assert.deepEqual(required, ['./x', 'pkg', './y', './side']);
    assert.deepEqual(JSON.parse(JSON.stringify(exports)), { one: 1, default: { three: 3 }, four: 'A' });
    assert.equal((exports.two as () => number)(), 2);
  });

  it('leaves files without module syntax alone', () => {
    const plain = "cube('a', { sql: 'SELECT 1' }); // import nothing";
    assert.equal(rewriteModuleSyntax(plain), plain);
  });
});
