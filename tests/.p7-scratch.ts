import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { DuckDBInstance } from '@duckdb/node-api';
import { atomicColumns } from '../collector/src/atomic/columns.ts';
const db = await DuckDBInstance.create(':memory:');
const c = await db.connect();
await c.run('CREATE SCHEMA atomic');
await c.run(`CREATE TABLE atomic.events (${atomicColumns.map((x) => `${x.name} ${x.type}`).join(', ')}, dt DATE)`);
await c.run(`INSERT INTO atomic.events (app_id, event, event_id, event_name, derived_tstamp, dvce_created_tstamp, collector_tstamp, domain_userid, domain_sessionid, domain_sessionidx, web_page_id, page_urlpath, dt, is_bot, mkt_source, refr_medium, doc_height, br_viewheight, pp_yoffset_max)
VALUES ('a','page_view','e1','page_view', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-01 10:00:00', TIMESTAMP '2024-01-01 10:00:00', 'u1','s1',1,'p1','/',DATE '2024-01-01', false, 'news', null, 2000, 800, null),
('a','page_ping','e2','page_ping', TIMESTAMP '2024-01-01 10:00:05', TIMESTAMP '2024-01-01 10:00:05', TIMESTAMP '2024-01-01 10:00:05', 'u1','s1',1,'p1','/',DATE '2024-01-01', false, null, 'internal', 2000, 800, 600),
('a','page_ping','e3','page_ping', TIMESTAMP '2024-01-01 10:00:15', TIMESTAMP '2024-01-01 10:00:15', TIMESTAMP '2024-01-01 10:00:15', 'u1','s1',1,'p1','/',DATE '2024-01-01', false, null, 'internal', 2000, 800, 1200),
('a','page_view','e4','page_view', TIMESTAMP '2024-01-08 10:00:00', TIMESTAMP '2024-01-08 10:00:00', TIMESTAMP '2024-01-08 10:00:00', 'u1','s2',2,'p2','/x',DATE '2024-01-08', false, null, 'search', null, null, null)`);
for (const f of ['events', 'page_views', 'sessions', 'users', 'retention']) {
  const doc = parse(readFileSync(`schema/${f}.yml`, 'utf8'));
  for (const cube of doc.cubes) {
    const sql = String(cube.sql).replace(/\{FILTER_PARAMS[^\n]*\)"\)\}/g, (m: string) => {
      const body = m.match(/f"(.*)"\)\}$/)![1];
      return body.replace(/\{a\}/g, "'2024-01-01T00:00:00.000'").replace(/\{b\}/g, "'2024-01-31T23:59:59.999'");
    });
    try {
      const r = await c.runAndReadAll(sql);
      console.log(cube.name, JSON.stringify(r.getRowObjectsJson().slice(0, 4)));
      // dimension and measure sql smoke test
      const exprs: string[] = [];
      for (const d of [...(cube.dimensions ?? []), ...(cube.measures ?? [])]) {
        if (!d.sql) continue;
        let s = String(d.sql);
        if (!/[{(\s]/.test(s)) s = `t.${s}`;
        s = s.replace(/\{CUBE\}/g, 't').replace(/\{(\w+)\}/g, (_m: string, n: string) => { const dd = [...(cube.dimensions??[]), ...(cube.measures??[])].find((x: any) => x.name === n); return dd ? `(${/^\w+$/.test(dd.sql) ? 't.' + dd.sql : dd.sql})` : `count(*)`; });
        s = s.replace(/\{CUBE\}/g, 't');
        exprs.push(`${d.type === 'number' && cube.measures?.includes(d) ? 'any_value' : 'any_value'}((${s})) AS "${d.name}"`);
      }
      const r2 = await c.runAndReadAll(`SELECT ${exprs.join(', ')} FROM (${sql}) t`);
      console.log('  members ok', JSON.stringify(r2.getRowObjectsJson()[0]).slice(0, 600));
    } catch (e) { console.log(cube.name, 'ERR', (e as Error).message.slice(0, 800)); }
  }
}
