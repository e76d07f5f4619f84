#!/usr/bin/env node
// Runs every *.test.ts in the repo with node's built-in runner (through tsx), so one
// command covers unit tests beside the code and end-to-end tests in tests/.
// Usage: node tests/run.mjs [path-filter ...]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureSystemDeps } from './system-deps.mjs';
import { startTestEngines } from './test-engines.mjs';

const root = new URL('..', import.meta.url).pathname;
const roots = ['bin', 'collector/src', 'server/src', 'dashboard-app/src', 'tests'];
const skip = new Set(['node_modules', 'dist', 'data', '.git']);

function findTests(dir) {
  let entries;
  try { entries = readdirSync(dir); } catch { return []; }
  return entries.flatMap((name) => {
    if (skip.has(name)) return [];
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return /\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = roots.flatMap((r) => findTests(join(root, r)))
  .map((f) => relative(root, f))
  .filter((f) => filters.length === 0 || filters.some((p) => f.includes(p)))
  .sort();

if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

await ensureSystemDeps();
const stack = await startTestEngines(files.filter((f) => /from '\.\/engines\.ts'/.test(readFileSync(join(root, f), 'utf8'))));

// The root project and the dashboard (its own tsconfig: JSX, DOM) are checked separately, as
// `npm start` checks the dashboard before building it.
const tsc = (dir) => spawnSync('npx', ['tsc', '-p', 'tsconfig.json', '--noEmit'], { cwd: join(root, dir), stdio: 'inherit' });
const typecheck = filters.length === 0 ? [tsc('.'), tsc('dashboard-app')].find((r) => r.status !== 0) ?? { status: 0 } : { status: 0 };
if (typecheck.status !== 0) console.error('typecheck failed');

const result = spawnSync(process.execPath, [
  '--import', 'tsx', '--test', '--test-reporter=spec',
  `--test-concurrency=${process.env.TEST_CONCURRENCY ?? 2}`,
  ...files,
], { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'test', ...stack.env } });
stack.stop();
process.exit(result.status || typecheck.status || 0);
