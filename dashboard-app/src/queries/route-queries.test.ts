// The landing page's queries known from the URL: the Overview's seven (its KPI rows, the chart's
// metric, four top tables) for the URL's view, and while comparing whether the previous period
// lies within the data; other pages start nothing early.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { routeQueries } from './route-queries.ts';

const now = new Date('2026-03-15T12:00:00Z');

test('the Overview: seven queries for the URL\'s view (eight while comparing), the chart following ?metric=', () => {
  assert.equal(routeQueries('/', '?range=7d&site=shop&metric=views&tz=UTC&compare=0', now).length, 7);
  const qs = routeQueries('/', '?range=7d&site=shop&metric=views&tz=UTC', now);
  assert.equal(qs.length, 8, 'compare is on by default: the previous-period check is prefetched too');
  assert.deepEqual(qs[7]!.timeDimensions?.[0]?.dateRange, ['2000-01-01', '2026-03-02'], 'sessions up to the first day of the previous 7 days');
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
