// The landing page's queries known from the URL: the Overview's seven (its KPI rows, the chart's
// metric, four top tables) for the URL's view; other pages start nothing early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeQueries } from './route-queries.ts';

const now = new Date('2026-03-15T12:00:00Z');

test('the Overview: seven queries for the URL\'s view, the chart following ?metric=', () => {
  const qs = routeQueries('/', '?range=7d&site=shop&metric=views&tz=UTC', now);
  assert.equal(qs.length, 7);
  assert.deepEqual(qs[2]!.measures, ['page_views.count'], 'the chart shows views');
  for (const q of qs) {
    const f = (q.filters ?? []) as { member: string; values: string[] }[];
    assert.ok(f.some((x) => x.member.endsWith('.app_id') && x.values[0] === 'shop'), `scoped to the site: ${JSON.stringify(q)}`);
  }
  assert.deepEqual(routeQueries('/', '?metric=nonsense', now)[2]!.measures, ['sessions.users'], 'an unknown metric is users, as the chart shows');
});

test('other pages start nothing before their code has loaded', () => {
  for (const path of ['/realtime', '/acquisition', '/explorer']) assert.deepEqual(routeQueries(path, '', now), []);
});
