// End-to-end: pre-aggregations through the API. The jobs endpoint builds the rollup, then the
// official client's queries are answered from it (usedPreAggregations) with the same numbers as
// the raw rows; a site token is still filtered and may not start builds.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cube from '@cubejs-client/core';
import { countBy, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture({ CUBEJS_SCHEMA_PATH: new URL('./fixtures/api-schema-preagg/', import.meta.url).pathname });
});
after(async () => { await fx?.close(); });

async function jobs(body: unknown, token: string): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${fx.apiUrl}/pre-aggregations/jobs`, {
    method: 'POST', headers: { Authorization: token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('pre-aggregations through the API', () => {
  test('jobs API builds the rollup; queries are then served from it with the true numbers', async () => {
    const admin = await fx.token();
    const posted = await jobs({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'], preAggregations: ['events.daily'] } }, admin);
    assert.equal(posted.status, 200, JSON.stringify(posted.body));
    const tokens = posted.body as string[];
    assert.ok(tokens.length >= 1);
    let statuses: string[] = [];
    for (let i = 0; i < 200; i++) {
      const got = await jobs({ action: 'get', tokens }, admin);
      statuses = (got.body as { status: string }[]).map((s) => s.status);
      if (statuses.every((s) => s === 'done' || s.startsWith('failure'))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.deepEqual([...new Set(statuses)], ['done']);

    const api = cube(admin, { apiUrl: fx.apiUrl });
    const rs = await api.load({
      measures: ['events.count'],
      dimensions: ['events.app_id'],
      timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange: ['2024-01-01', '2024-01-20'] }],
    });
    const used = rs.serialize().loadResponse.results[0]!.usedPreAggregations ?? {};
    assert.ok(Object.keys(used).includes('events.daily'), `served by the rollup: ${JSON.stringify(used)}`);
    const truth = countBy(fx.rows, (r) => `${r.app_id}|${r.collector_tstamp.slice(0, 10)}T00:00:00.000`);
    const got = new Map(rs.rawData().map((r) => [`${r['events.app_id']}|${r['events.time.day']}`, Number(r['events.count'])]));
    assert.deepEqual(got, truth);

    const tenant = cube(await fx.token({ app_id: 'site-a' }), { apiUrl: fx.apiUrl });
    const t = await tenant.load({ measures: ['events.count'], dimensions: ['events.app_id'], timeDimensions: [{ dimension: 'events.time', granularity: 'day' }] });
    assert.deepEqual([...new Set(t.rawData().map((r) => r['events.app_id']))], ['site-a']);
    assert.equal(t.rawData().reduce((s, r) => s + Number(r['events.count']), 0), countBy(fx.rows, (r) => r.app_id).get('site-a'));
  });

  test('a site token may not start pre-aggregation builds (no jobs scope)', async () => {
    const r = await jobs({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } }, await fx.token({ app_id: 'site-a' }));
    assert.equal(r.status, 403);
    assert.equal((r.body as { error: string }).error, 'API scope is missing: jobs');
  });

  test('jobs API validation errors are 400s', async () => {
    const r = await jobs({ action: 'post', selector: { contexts: [], timezones: ['UTC'] } }, await fx.token());
    assert.equal(r.status, 400);
    assert.equal(typeof (r.body as { error: string }).error, 'string');
  });
});
