// End-to-end GraphQL: a real client (graphql-request) against /cubejs-api/graphql gives the same
// numbers as the REST API and as the rows the test wrote; tenant tokens are filtered the same way.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { GraphQLClient, gql, ClientError } from 'graphql-request';
import cube from '@cubejs-client/core';
import { countBy, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
let client: GraphQLClient;
before(async () => {
  fx = await startFixture();
  client = new GraphQLClient(`${fx.server.url}/cubejs-api/graphql`, { headers: { Authorization: await fx.token() } });
});
after(async () => { await fx?.close(); });

type Row = { events: { count: number; app_id?: string; event?: string; users?: number; time?: { day?: string; value?: string } } };

describe('GraphQL API', () => {
  test('counts per app_id equal the truth and the REST answer', async () => {
    const res = await client.request<{ cube: Row[] }>(gql`
      { cube(orderBy: { events: { app_id: asc } }) { events { count app_id } } }
    `);
    const truth = countBy(fx.rows, (r) => r.app_id);
    assert.deepEqual(new Map(res.cube.map((r) => [r.events.app_id, r.events.count])), truth);
    assert.equal(typeof res.cube[0]!.events.count, 'number', 'Float fields are numbers');
    const rest = await cube(await fx.token(), { apiUrl: fx.apiUrl }).load({ measures: ['events.count'], dimensions: ['events.app_id'] });
    assert.deepEqual(new Map(rest.tablePivot().map((r) => [r['events.app_id'], Number(r['events.count'])])), truth);
  });

  test('where + time dimension granularity: daily counts in a date range, times in UTC ISO', async () => {
    const res = await client.request<{ cube: Row[] }>(gql`
      query Daily($event: String) {
        cube(where: { events: { event: { equals: $event }, time: { inDateRange: ["2024-01-02", "2024-01-04"] } } }) {
          events(orderBy: { time: asc }) { count time { day } }
        }
      }
    `, { event: 'link_click' });
    const inside = fx.rows.filter((r) => r.event === 'link_click' && r.collector_tstamp.slice(0, 10) >= '2024-01-02' && r.collector_tstamp.slice(0, 10) <= '2024-01-04');
    const truth = countBy(inside, (r) => `${r.collector_tstamp.slice(0, 10)}T00:00:00.000Z`);
    assert.deepEqual(new Map(res.cube.map((r) => [r.events.time!.day, r.events.count])), truth);
  });

  test('AND/OR and in filters, limit', async () => {
    const res = await client.request<{ cube: Row[] }>(gql`
      { cube(limit: 100, where: { OR: [{ events: { app_id: { in: ["site-b"] } } }, { events: { event: { equals: "link_click" } } }] }) {
          events { count } } }
    `);
    const truth = fx.rows.filter((r) => r.app_id === 'site-b' || r.event === 'link_click').length;
    assert.equal(res.cube[0]!.events.count, truth);
  });

  test('a site token only sees its own rows through GraphQL too', async () => {
    const tenant = new GraphQLClient(`${fx.server.url}/cubejs-api/graphql`, { headers: { Authorization: await fx.token({ app_id: 'site-a' }) } });
    const res = await tenant.request<{ cube: Row[] }>(gql`{ cube { events { count app_id } } }`);
    assert.deepEqual(res.cube.map((r) => [r.events.app_id, r.events.count]), [['site-a', countBy(fx.rows, (r) => r.app_id).get('site-a')]]);
  });

  test('an unknown field is a GraphQL validation error (400), not a crash', async () => {
    await assert.rejects(client.request(gql`{ cube { events { nope } } }`), (e: unknown) => {
      assert.ok(e instanceof ClientError);
      assert.equal(e.response.status, 400);
      assert.match(String(e.response.errors?.[0]?.message), /nope/);
      return true;
    });
  });

  test('no token → 403', async () => {
    const anon = new GraphQLClient(`${fx.server.url}/cubejs-api/graphql`);
    await assert.rejects(anon.request(gql`{ cube { events { count } } }`), (e: unknown) => {
      assert.ok(e instanceof ClientError);
      assert.equal(e.response.status, 403);
      return true;
    });
  });
});
