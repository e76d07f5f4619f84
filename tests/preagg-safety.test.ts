// Safety: partitions rebuilt while queries run never yield partial data (each answer equals the
// source's), and a MySQL store whose connections are killed mid-build retries the build while
// queries fall back to the source with correct answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { createConnection } from 'mysql2/promise';
import { harness } from './preagg-fixture.ts';
import { byMember } from './preagg-query-gen.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { MySQLStore } from '../server/src/preagg/stores/mysql.ts';
import type { Harness } from './preagg-fixture.ts';

const QUERIES = [
  { measures: ['pv.count', 'pv.revenue'], dimensions: ['pv.country'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] },
  { measures: ['pv.count'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'day', dateRange: ['2024-01-03', '2024-01-20'] }] },
  { measures: ['pv.max_value', 'pv.min_value'], dimensions: ['pv.browser'] },
];

async function check(h: Harness, raw: unknown) {
  const q = normalizeQuery(raw, h.model);
  const r = await runQuery(h.preAggs, h.model, q, { dialect: 'duckdb', runSource: (sql, p) => h.source.query(sql, p) });
  const plain = compileQuery(h.model, q, { dialect: 'duckdb' });
  const expected = byMember(await h.source.query(plain.sql, plain.params), plain.aliasToMember);
  assert.deepEqual(byMember(r.rows, r.compiled.aliasToMember), expected, `answer of ${JSON.stringify(raw)} via ${r.usedPreAggregation ?? 'source'}`);
  return r.usedPreAggregation;
}

for (const kind of ['duckdb', 'mysql'] as const) {
  test(`partitions rebuilt under concurrent queries never give partial answers (${kind})`, async (t) => {
    const h = await harness(kind, { rows: 4000, days: 30, batchSize: 100, dropGraceSeconds: 0 });
    t.after(() => h.close());
    await h.preAggs.refresh();
    let rebuilding = true;
    const rebuilds = (async () => {
      for (let i = 0; i < 3; i++) await h.preAggs.refresh({ preAggregations: ['pv.hourly'], force: true });
      rebuilding = false;
    })();
    let served = 0, total = 0;
    while (rebuilding) {
      for (const q of QUERIES) {
        if (await check(h, q)) served++;
        total++;
      }
    }
    await rebuilds;
    t.diagnostic(`${served}/${total} answers served by rollups during rebuilds`);
    assert.ok(total >= QUERIES.length, 'queries ran during the rebuilds');
    for (const q of QUERIES) assert.ok(await check(h, q), 'served by a rollup after the rebuilds');
  });
}

test('MySQL connections killed mid-build: the build is retried, queries fall back to the source', async (t) => {
  const user = `preagg_k_${randomBytes(3).toString('hex')}`;
  const admin = await createConnection({ host: '127.0.0.1', port: 3306, user: 'root', password: '' });
  await admin.query(`CREATE USER '${user}'@'%' IDENTIFIED BY 'pw'`);
  await admin.query(`CREATE USER '${user}'@'localhost' IDENTIFIED BY 'pw'`);
  await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'%'`);
  await admin.query(`GRANT ALL PRIVILEGES ON *.* TO '${user}'@'localhost'`);
  // Only this test's own connections (its dedicated user) are killed; other tests share the server.
  const killAll = async () => {
    const [rows] = await admin.query('SELECT id FROM information_schema.processlist WHERE user = ?', [user]);
    for (const r of rows as { id: number }[]) await admin.query(`KILL CONNECTION ${Number(r.id)}`).catch(() => undefined);
    return (rows as unknown[]).length;
  };
  const store = await MySQLStore.open({ host: '127.0.0.1', port: 3306, user, password: 'pw', connectionLimit: 2 });
  const logs: string[] = [];
  let kills = 0;
  let armed = true;
  const h = await harness('mysql', {
    rows: 3000, days: 14, store, batchSize: 40, log: (m) => {
      logs.push(m);
      if (armed && / rows loaded$/.test(m) && kills < 3) { kills++; void killAll(); }
    },
  });
  t.after(async () => {
    await admin.query(`ALTER USER '${user}'@'%' ACCOUNT UNLOCK`);
    await admin.query(`ALTER USER '${user}'@'localhost' ACCOUNT UNLOCK`);
    await h.close();
    await admin.query(`DROP USER IF EXISTS '${user}'@'%'`);
    await admin.query(`DROP USER IF EXISTS '${user}'@'localhost'`);
    await admin.end();
  });

  const built = await h.preAggs.refresh({ preAggregations: ['pv.hourly'] });
  armed = false;
  assert.ok(built.length >= 2, 'every partition got built in the end');
  assert.ok(logs.some((m) => /failed .*retry/.test(m)), `a build failed and was retried: ${logs.filter((m) => /fail/.test(m)).join(' | ')}`);
  const leftovers = (await h.store.listTables(h.schema)).filter((n) => n.startsWith('wc_tmp_'));
  assert.deepEqual(leftovers, [], 'no half-loaded temporary table left behind');
  assert.equal(await check(h, QUERIES[0]), 'pv.hourly');

  // The store goes away while serving (account locked, connections killed): the next query
  // falls back to the source.
  await admin.query(`ALTER USER '${user}'@'%' ACCOUNT LOCK`);
  await admin.query(`ALTER USER '${user}'@'localhost' ACCOUNT LOCK`);
  assert.ok(await killAll() >= 1, 'the store had connections to kill');
  await check(h, QUERIES[0]);
  assert.equal(h.preAggs.healthy, false, 'the failure routed queries to the source');
  assert.equal(await check(h, QUERIES[0]), null, 'served by the source while the store is marked unhealthy');
});
