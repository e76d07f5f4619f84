import { loadModel } from './src/model/index.ts';
import { normalizeQuery } from './src/query/normalize-query.ts';
import { compileQuery } from './src/query/compile-query.ts';
const { model } = await loadModel({ schemaPath: '../schema' });
for (const f of [
  { member: 'sessions.start_time', operator: 'afterDate', values: ['2026-10-01'] },
  { member: 'sessions.start_time', operator: 'beforeDate', values: ['2026-10-01'] },
]) {
  try {
    const c = compileQuery(model, normalizeQuery({ measures: ['sessions.count'], filters: [f] }, model), { dialect: 'duckdb' });
    console.log(f.operator, c.sql.match(/CAST\(dt AS VARCHAR\)[^\n]*/)?.[0]?.slice(0, 300), c.params.slice(0, 4));
  } catch (e) { console.log(f.operator, 'ERR', (e as Error).message); }
}
const c = compileQuery(model, normalizeQuery({ measures: ['sessions.count'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: ['2026-10-01', '2026-10-02'] }], timezone: 'America/New_York' }, model), { dialect: 'trino' });
console.log(c.sql.slice(0, 3000), c.params);
