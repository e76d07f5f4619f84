// .env.example is the user's reference for configuration: every variable it names must be
// read by the code, and its values must be accepted by every config loader.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadCollectorConfig } from '@webcube/collector';
import { loadServerConfig } from '@webcube/server';
import { loadDriverConfig } from '../server/src/drivers/index.ts';

const repo = new URL('..', import.meta.url).pathname;
const example = readFileSync(join(repo, '.env.example'), 'utf8');

const active = Object.fromEntries(example.split('\n')
  .map((line) => /^([A-Z0-9_]+)=(.*)$/.exec(line))
  .filter((m): m is RegExpExecArray => m !== null)
  .map((m) => [m[1], m[2]]));
const documented = [...example.matchAll(/^(?:# )?([A-Z][A-Z0-9_]+)=/gm)].map((m) => m[1]);

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return sources(path);
    return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [path] : [];
  });
}

test('every variable in .env.example is read by the code', () => {
  const code = ['bin', 'collector/src', 'server/src'].flatMap((d) => sources(join(repo, d)))
    .map((f) => readFileSync(f, 'utf8')).join('\n');
  assert.ok(documented.length > 60);
  const unread = documented.filter((name) => !code.includes(name) && !code.includes(name.replace(/^CUBEJS_/, '')));
  assert.deepEqual(unread, []);
});

test('the values .env.example sets are accepted by every config loader', () => {
  assert.doesNotThrow(() => loadCollectorConfig(active));
  assert.doesNotThrow(() => loadServerConfig({ ...active, CUBEJS_DEV_MODE: 'true' }));
  assert.doesNotThrow(() => loadDriverConfig(active));
});

test('a bad value stops the collector with a message naming the variable', () => {
  assert.throws(() => loadCollectorConfig({ ...active, COLLECTOR_PORT: 'eighty' }), /COLLECTOR_PORT/);
  assert.throws(() => loadServerConfig({ ...active, CUBEJS_DEV_MODE: 'true', PORT: '-3' }), /PORT/);
});
