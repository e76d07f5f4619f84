import { testEngine } from './engines.ts';
const e = await testEngine((process.argv[2] ?? 'presto') as 'presto');
const d = await e.driver('hive', 'default');
for (const sql of process.argv.slice(3)) {
  try { console.log(JSON.stringify(await d.query(sql, []))); } catch (err) { console.log('ERR', (err as Error).message.slice(0, 400)); }
}
await d.close();
