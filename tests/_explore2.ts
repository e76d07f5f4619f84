import { harness, MODEL_YAML, VISITS_YAML } from './preagg-fixture.ts';
import { prng, randomVisitsQuery, runBoth } from './preagg-query-gen.ts';
const engine = (process.argv[2] ?? 'presto') as 'presto' | 'trino';
const kind = (process.argv[3] ?? 'duckdb') as 'duckdb' | 'mysql';
const t0 = Date.now();
const h = await harness(kind, { rows: 2000, days: 20, engine, yaml: MODEL_YAML + VISITS_YAML, originalSql: true, log: (m) => { if (!/rows loaded/.test(m)) console.log(m); } });
console.log('harness', Date.now() - t0);
try {
  const built = await h.preAggs.refresh({ cubes: ['visits'] });
  console.log('built', built.length, Date.now() - t0);
  const r = prng(7);
  for (let i = 0; i < Number(process.env.N ?? 10); i++) {
    const q = randomVisitsQuery(r);
    try {
      const o = await runBoth(q, h.model, h.preAggs, h.source, h.dialect);
      console.log(i, o.rollup, JSON.stringify(o.actual) === JSON.stringify(o.expected) ? 'OK' : 'DIFF\n' + JSON.stringify(q) + '\n' + o.actual.slice(0, 3).join('\n') + '\n---\n' + o.expected.slice(0, 3).join('\n'));
    } catch (e) { console.log(i, 'ERR', (e as Error).message.slice(0, 500)); }
  }
  const again = await h.preAggs.refresh({ preAggregations: ['visits.visits_table'], force: true });
  console.log('rebuilt', again.length, Date.now() - t0);
  console.log(await h.engine!.run(`SHOW TABLES FROM hive.${h.eventsTable.split('.')[1]}`));
} catch (e) { console.log('ERR', e); } finally { await h.close(); }
