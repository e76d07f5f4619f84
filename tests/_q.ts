import { testEngine } from './engines.ts';
const e = await testEngine((process.argv[2] ?? 'presto') as 'presto');
for (const sql of process.argv.slice(3)) {
  try { console.log(JSON.stringify(await e.run(sql))); } catch (err) { console.log('ERR', (err as Error).message.slice(0, 400)); }
}
