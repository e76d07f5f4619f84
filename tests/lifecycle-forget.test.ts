// Erasure end to end: the official node tracker sends to a real collector; while one more visitor
// keeps sending, `forget` erases another; afterwards the raw counts per user equal what was sent
// (the erased one at zero, nobody else lost or doubled), and a day-partitioned rollup rebuilt by
// the refresh worker's lifecycle pass agrees with the raw data. The admin endpoint refuses site
// tokens and erases with an admin token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { buildPageView, newTracker } from '@snowplow/node-tracker';
import { startHarness } from './collector-harness.ts';
import { runForget } from '../collector/src/lifecycle/forget.ts';
import { readAudit, hashIdentifier } from '../collector/src/lifecycle/audit-log.ts';
import { openLocalSink } from '../collector/src/sinks/local.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { createSourceEngine } from '../server/src/preagg/compiled-source.ts';
import { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { createLifecyclePass } from '../server/src/preagg/lifecycle-pass.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { DuckDBStore } from '../server/src/preagg/stores/duckdb.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileTestModel } from './preagg-fixture.ts';
import { startFixture, countBy } from './api-fixture.ts';

const SALT = 'lifecycle-e2e-salt-0123456789';
const YAML = `
cubes:
  - name: visits
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
    dimensions:
      - {name: event_id, sql: event_id, type: string, primary_key: true}
      - {name: user_id, sql: user_id, type: string}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
      - name: per_user_day
        measures: [CUBE.count]
        dimensions: [CUBE.user_id]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: day
`;

function tracker(url: string, user: string, failures: unknown[], onSent?: (n: number) => void) {
  const u = new URL(url);
  return newTracker({ namespace: `ns-${user}`, appId: 'shop', encodeBase64: false }, {
    endpoint: u.hostname, port: Number(u.port), protocol: 'http', bufferSize: 1,
    onRequestFailure: (f) => { failures.push(f); },
    onRequestSuccess: (batch) => onSent?.(batch.length),
  });
}

test('forget during load: exact counts from what was sent, and the rebuilt rollup agrees with raw data', async (t) => {
  const h = await startHarness({ COLLECTOR_FLUSH_MS: '300' });
  const env = { WEBCUBE_DATA_DIR: h.dir, WEBCUBE_AUDIT_SALT: SALT, WEBCUBE_FORGET_GRACE_S: '1', WEBCUBE_FORGET_SPOOL_WAIT_S: '60' };
  const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: h.dir, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: true });
  const store = await DuckDBStore.open(join(h.dir, 'preaggs.duckdb'));
  const model = compileTestModel(YAML);
  const preAggs = new PreAggregations({
    config: { schema: 'prod_pre_aggregations', batchSize: 1000, dropGraceSeconds: 0, refreshConcurrency: 1, refreshTimezones: ['UTC'] },
    store, getModel: () => model, source: createSourceEngine({ getModel: () => model, driver, dialect: 'duckdb' }),
  });
  t.after(async () => { await preAggs.close(); await store.close(); await driver.close(); await h.close(); });

  const failures: unknown[] = [];
  const sent = new Map<string, number>([['alice', 40], ['bob', 25], ['carol', 15]]);
  for (const [user, n] of sent) {
    const tr = tracker(h.collector.url, user, failures);
    tr.setUserId(user);
    tr.setDomainUserId(`duid-${user}`);
    for (let i = 0; i < n; i++) tr.track(buildPageView({ pageUrl: `https://shop.test/${user}/${i}` }));
    await tr.flush();
  }
  await h.collector.store.flush();

  const q = normalizeQuery({ measures: ['visits.count'], dimensions: ['visits.user_id'], timeDimensions: [{ dimension: 'visits.ts', granularity: 'day', dateRange: [new Date(Date.now() - 7 * 86_400_000).toISOString().slice(0, 10), new Date(Date.now() + 86_400_000).toISOString().slice(0, 10)] }], timezone: 'UTC' }, model);
  const rollup = async () => {
    await driver.refreshEventsView(true);
    const r = await runQuery(preAggs, model, q, { dialect: 'duckdb', runSource: (sql, p) => driver.query(sql, p) });
    const alias = (m: string) => Object.entries(r.compiled.aliasToMember).find(([, x]) => x === m)![0];
    const out = new Map<string, number>();
    for (const row of r.rows) out.set(String(row[alias('visits.user_id')]), (out.get(String(row[alias('visits.user_id')])) ?? 0) + Number(row[alias('visits.count')]));
    return { used: r.usedPreAggregation, counts: out };
  };
  const raw = async () => new Map((await h.events<{ u: string; n: number; d: number }>(
    'SELECT user_id AS u, count(*)::INT AS n, count(DISTINCT event_id)::INT AS d FROM events GROUP BY 1')).map((r) => {
    assert.equal(r.n, r.d, `events of ${r.u} doubled`);
    return [r.u, r.n];
  }));

  await driver.refreshEventsView(true);
  await preAggs.refresh();
  const before = await rollup();
  assert.equal(before.used, 'visits.per_user_day');
  assert.deepEqual(before.counts, sent);
  assert.deepEqual(await raw(), sent);

  // Load: dave keeps sending (one request per event) while alice is erased.
  let daveAcked = 0;
  let loading = true;
  const dave = tracker(h.collector.url, 'dave', failures, (n) => { daveAcked += n; });
  dave.setUserId('dave');
  const load = (async () => {
    for (let i = 0; loading || i < 20; i++) {
      dave.track(buildPageView({ pageUrl: `https://shop.test/dave/${i}` }));
      if (i % 10 === 9) await dave.flush();
    }
    await dave.flush();
  })();
  const report = await runForget(env, { column: 'user_id', value: 'alice' });
  await report.cleanup;
  loading = false;
  await load;
  await h.collector.store.flush();
  assert.deepEqual(failures, []);
  assert.equal(report.totalRows, 40);
  assert.ok(daveAcked >= 20);

  const expected = new Map([['bob', 25], ['carol', 15], ['dave', daveAcked]]);
  assert.deepEqual(await raw(), expected);
  // The rollup still counts alice until the refresh worker's lifecycle pass rebuilds the partitions
  // (forced, so dave's newer events are in the rebuilt partition too).
  assert.equal((await rollup()).counts.get('alice'), 40);
  await createLifecyclePass({ preAggs, env, log: () => undefined })();
  const after = await rollup();
  assert.equal(after.used, 'visits.per_user_day');
  assert.deepEqual(after.counts, expected);

  const sink = await openLocalSink(h.dir);
  const [audit] = await readAudit(sink);
  assert.equal(audit!.request.subject, hashIdentifier(SALT, 'alice'));
  assert.equal(audit!.totalRows, 40);
  assert.ok(!JSON.stringify(audit).includes('alice'));
});

test('the forget endpoint refuses site tokens and erases with an admin token', async (t) => {
  const f = await startFixture({ WEBCUBE_AUDIT_SALT: SALT, WEBCUBE_FORGET_GRACE_S: '0', WEBCUBE_FORGET_SPOOL_WAIT_S: '0' });
  t.after(() => f.close());
  const forgetUrl = `${f.server.url}/webcube-api/v1/forget`;
  const post = async (token: string | undefined, body: unknown) => fetch(forgetUrl, {
    method: 'POST', headers: { 'content-type': 'application/json', ...(token ? { authorization: token } : {}) }, body: JSON.stringify(body),
  });
  const victim = 'u-3';
  const truth = countBy(f.rows, (r) => r.domain_userid);
  assert.ok((truth.get(victim) ?? 0) > 0);

  assert.equal((await post(undefined, { domainUserid: victim })).status, 403);
  const site = await post(await f.token({ app_id: 'site-a' }), { domainUserid: victim });
  assert.equal(site.status, 403);
  assert.match(JSON.stringify(await site.json()), /scope/i);
  const admin = await f.token({ scope: 'webcube:admin' });
  const bad = await post(admin, { email: 'x@y.z' });
  assert.equal(bad.status, 400);
  const ok = await post(admin, { domainUserid: victim });
  assert.equal(ok.status, 200);
  const body = await ok.json() as { totalRows: number; subject: string };
  assert.equal(body.totalRows, truth.get(victim));
  assert.ok(!JSON.stringify(body).includes(victim));

  const load = await fetch(`${f.apiUrl}/load?query=${encodeURIComponent(JSON.stringify({ measures: ['events.count'] }))}`, { headers: { authorization: admin } });
  const data = await load.json() as { data: Record<string, string>[] };
  assert.equal(Number(data.data[0]!['events.count']), f.rows.length - truth.get(victim)!);
});
