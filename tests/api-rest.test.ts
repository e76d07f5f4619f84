// End-to-end: the official @cubejs-client/core against the real server (port 0) over Parquet
// files written by the test; every expected number is computed in JS from the generated rows.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import cube, { type CubeApi } from '@cubejs-client/core';
import { countBy, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
let api: CubeApi;

before(async () => {
  fx = await startFixture();
  api = cube(await fx.token(), { apiUrl: fx.apiUrl });
});
after(async () => { await fx?.close(); });

const inRange = (t: string, from: string, to: string) => t.slice(0, 10) >= from && t.slice(0, 10) <= to;

describe('REST API through @cubejs-client/core', () => {
  test('load: count by app_id and event equals the rows written', async () => {
    const rs = await api.load({ measures: ['events.count'], dimensions: ['events.app_id', 'events.event'] });
    const truth = countBy(fx.rows, (r) => `${r.app_id}|${r.event}`);
    const got = new Map(rs.tablePivot().map((r) => [`${r['events.app_id']}|${r['events.event']}`, Number(r['events.count'])]));
    assert.deepEqual(got, truth);
    const raw = rs.rawData()[0]!;
    assert.equal(typeof raw['events.count'], 'string', 'numbers are serialised as strings, as Cube does');
  });

  test('load: daily time series, chartPivot fills every day of the range with the right counts', async () => {
    const from = '2024-01-03';
    const to = '2024-01-09';
    const rs = await api.load({
      measures: ['events.count', 'events.users'],
      timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange: [from, to] }],
    });
    const inside = fx.rows.filter((r) => inRange(r.collector_tstamp, from, to));
    const perDay = countBy(inside, (r) => r.collector_tstamp.slice(0, 10));
    const chart = rs.chartPivot();
    assert.equal(chart.length, 7);
    for (const point of chart) {
      const day = String(point.x).slice(0, 10);
      assert.equal(point['events.count'], perDay.get(day) ?? 0, `count on ${day}`);
      const users = new Set(inside.filter((r) => r.collector_tstamp.startsWith(day)).map((r) => r.domain_userid)).size;
      assert.equal(point['events.users'], users, `users on ${day}`);
    }
    const row = rs.rawData()[0]!;
    assert.match(String(row['events.time.day']), /^\d{4}-\d{2}-\d{2}T00:00:00\.000$/);
    assert.equal(row['events.time'], row['events.time.day']);
    assert.deepEqual(rs.query().timeDimensions?.[0]?.dateRange, [`${from}T00:00:00.000`, `${to}T23:59:59.999`]);
  });

  test('load: sum measure, filters and order', async () => {
    const rs = await api.load({
      measures: ['events.value_sum'],
      dimensions: ['events.page'],
      filters: [{ member: 'events.event', operator: 'equals', values: ['page_view'] }],
      order: { 'events.page': 'asc' },
    });
    const truth = new Map<string, number>();
    for (const r of fx.rows.filter((x) => x.event === 'page_view')) truth.set(r.page_urlpath, (truth.get(r.page_urlpath) ?? 0) + r.se_value);
    const rows = rs.tablePivot();
    assert.deepEqual(rows.map((r) => r['events.page']), [...truth.keys()].sort());
    for (const r of rows) assert.ok(Math.abs(Number(r['events.value_sum']) - truth.get(String(r['events.page']))!) < 1e-6);
  });

  test('total: the number of groups regardless of limit', async () => {
    const rs = await api.load({ measures: ['events.count'], dimensions: ['events.page', 'events.event'], limit: 1, total: true });
    assert.equal(rs.rawData().length, 1);
    const groups = new Set(fx.rows.map((r) => `${r.page_urlpath}|${r.event}`)).size;
    assert.equal(rs.totalRows(), groups);
  });

  test('ungrouped: one row per event in the range', async () => {
    const rs = await api.load({
      dimensions: ['events.event_id', 'events.app_id'],
      timeDimensions: [{ dimension: 'events.time', dateRange: ['2024-01-05', '2024-01-06'] }],
      ungrouped: true,
    });
    const truth = fx.rows.filter((r) => inRange(r.collector_tstamp, '2024-01-05', '2024-01-06')).map((r) => r.event_id).sort();
    assert.deepEqual(rs.rawData().map((r) => r['events.event_id']).sort(), truth);
  });

  test('compareDateRange: one result per range, each equal to its truth', async () => {
    const ranges: [string, string][] = [['2024-01-01', '2024-01-07'], ['2024-01-08', '2024-01-14']];
    const rs = await api.load({
      measures: ['events.count'],
      timeDimensions: [{ dimension: 'events.time', granularity: 'week', compareDateRange: ranges }],
    });
    const parts = rs.decompose();
    assert.equal(parts.length, 2);
    parts.forEach((part, i) => {
      const [from, to] = ranges[i]!;
      const total = part.rawData().reduce((s, r) => s + Number(r['events.count']), 0);
      assert.equal(total, fx.rows.filter((r) => inRange(r.collector_tstamp, from, to)).length);
      assert.equal(part.rawData()[0]!.compareDateRange, `${from}T00:00:00.000 - ${to}T23:59:59.999`);
    });
    assert.equal(rs.serialize().loadResponse.queryType, 'compareDateRangeQuery');
  });

  test('meta: cubes, members and titles as Cube names them', async () => {
    const meta = await api.meta();
    const events = meta.meta.cubes.find((c) => c.name === 'events');
    assert.ok(events, 'events cube listed');
    assert.ok(events.measures.some((m) => m.name === 'events.count' && m.type === 'number'));
    assert.ok(events.dimensions.some((d) => d.name === 'events.time' && d.type === 'time'));
  });

  test('dry-run: normalised query with default limit and time zone', async () => {
    const res = await api.dryRun({ measures: ['events.count'], dimensions: ['events.app_id'] }) as unknown as {
      queryType: string; normalizedQueries: { limit: number; timezone: string; measures: string[] }[]; pivotQuery: { queryType: string };
    };
    assert.equal(res.queryType, 'regularQuery');
    assert.equal(res.normalizedQueries[0]!.limit, 10000);
    assert.equal(res.normalizedQueries[0]!.timezone, 'UTC');
    assert.deepEqual(res.normalizedQueries[0]!.measures, ['events.count']);
    assert.equal(res.pivotQuery.queryType, 'regularQuery');
  });

  test('sql: the compiled SQL reads atomic.events with bound parameters', async () => {
    const sql = await api.sql({
      measures: ['events.count'],
      filters: [{ member: 'events.app_id', operator: 'equals', values: ['site-b'] }],
    });
    const [text, params] = sql.rawQuery().sql as unknown as [string, unknown[]];
    assert.match(text, /atomic/i);
    assert.ok(params.includes('site-b'), 'filter values are parameters, not inlined');
    assert.ok(!text.includes("'site-b'"));
  });

  test('Continue wait: the client polls until the result is ready', async () => {
    const slow = await startFixture({ CUBEJS_CONTINUE_WAIT_TIMEOUT: '0' });
    try {
      const client = cube(await slow.token(), { apiUrl: slow.apiUrl });
      let progress = 0;
      const rs = await client.load({ measures: ['events.count'], dimensions: ['events.event'] }, { progressCallback: () => { progress++; } });
      assert.ok(progress >= 1, 'the server answered Continue wait at least once');
      assert.deepEqual(new Map(rs.tablePivot().map((r) => [r['events.event'], Number(r['events.count'])])), countBy(slow.rows, (r) => r.event));
    } finally {
      await slow.close();
    }
  });
});
