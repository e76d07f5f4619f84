#!/usr/bin/env node
// The webcube CLI entry: reads ./.env as Cube does (the environment wins over the file),
// loads the TypeScript sources through tsx, then runs the command.
import { existsSync, readFileSync } from 'node:fs';
import { parseEnv } from 'node:util';
import { register } from 'tsx/esm/api';

const env = { ...process.env };
if (existsSync('.env')) {
  for (const [name, value] of Object.entries(parseEnv(readFileSync('.env', 'utf8')))) env[name] ??= value;
}

register();
const { main } = await import('./webcube.ts');
await main(process.argv.slice(2), env);
