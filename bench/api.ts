// API overhead benchmark: the same query through HTTP /v1/load (result cache bypassed with
// renewQuery) versus the bare source engine running the identical SQL and parameters.
import { performance } from 'node:perf_hooks';
import { loadServerConfig } from '../server/src/config.ts';
import { openDriver } from '../server/src/api/open-driver.ts';
import { SECRET, startFixture } from '../tests/api-fixture.ts';
import type { BenchResult } from './run.ts';

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const round = (x: number) => Math.round(x * 1000) / 1000;

export async function bench(): Promise<BenchResult[]> {
  const fx = await startFixture();
  const token = await fx.token();
  const query = { measures: ['events.count', 'events.users'], dimensions: ['events.app_id', 'events.event'], renewQuery: true };
  const url = `${fx.apiUrl}/load?query=${encodeURIComponent(JSON.stringify(query))}&queryType=multi`;
  const sqlRes = await fetch(`${fx.apiUrl}/sql?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: token } });
  const [sql, params] = ((await sqlRes.json()) as { sql: { sql: [string, unknown[]] } }).sql.sql;
  const config = loadServerConfig({ CUBEJS_API_SECRET: SECRET, WEBCUBE_DATA_DIR: fx.dir });
  const driver = await openDriver(config, {}, 'default', { securityContext: {}, requestId: 'bench' });
  const runs = 200;
  const api: number[] = [];
  const engine: number[] = [];
  const cached: number[] = [];
  const cachedUrl = `${fx.apiUrl}/load?query=${encodeURIComponent(JSON.stringify({ ...query, renewQuery: false }))}&queryType=multi`;
  try {
    for (let i = 0; i < 20; i++) { await driver.query(sql, params); await (await fetch(url, { headers: { Authorization: token } })).json(); }
    // Interleaved so both sides see the same machine load.
    for (let i = 0; i < runs; i++) {
      let t = performance.now();
      await driver.query(sql, params);
      engine.push(performance.now() - t);
      t = performance.now();
      const res = await fetch(url, { headers: { Authorization: token } });
      const body = await res.json() as { results?: unknown[] };
      if (!body.results) throw new Error(`unexpected API answer: ${JSON.stringify(body).slice(0, 200)}`);
      api.push(performance.now() - t);
    }
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await (await fetch(cachedUrl, { headers: { Authorization: token } })).json();
      cached.push(performance.now() - t);
    }
  } finally {
    await driver.close();
    await fx.close();
  }
  return [
    { name: 'api: /v1/load p50 (HTTP, cache bypassed)', value: round(pct(api, 50)), unit: 'ms', baseline: { name: 'engine p50, same SQL', value: round(pct(engine, 50)) } },
    { name: 'api: /v1/load p95 (HTTP, cache bypassed)', value: round(pct(api, 95)), unit: 'ms', baseline: { name: 'engine p95, same SQL', value: round(pct(engine, 95)) } },
    { name: 'api: overhead p50 (api − engine)', value: round(pct(api, 50) - pct(engine, 50)), unit: 'ms' },
    { name: 'api: /v1/load p50, result cache hit', value: round(pct(cached, 50)), unit: 'ms', baseline: { name: 'engine p50, same SQL', value: round(pct(engine, 50)) } },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await bench()) console.log(r);
}
