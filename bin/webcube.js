#!/usr/bin/env node
// The webcube CLI entry: loads the TypeScript sources through tsx, then runs the command.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('./webcube.ts');
await main(process.argv.slice(2), process.env);
