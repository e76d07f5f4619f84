import { runDemo } from './src/demo/demo-command.ts';
import { mkdtemp } from 'node:fs/promises';
const dir = await mkdtemp('/tmp/p7/demo-');
console.time('demo');
const r = await runDemo({ dataDir: dir, days: 3, live: false, sessionsPerDay: 300, log: console.log });
console.timeEnd('demo');
console.log(r, dir);
