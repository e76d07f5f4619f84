// The URL is the view: parsing presets, custom ranges, filters and granularity, and writing patches back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyViewPatch, parseViewState } from './view-state.ts';

const NOW = new Date('2026-03-15T12:00:00Z');

test('defaults: last 28 days in the given zone, compare on, day granularity, no filters', () => {
  const v = parseViewState(new URLSearchParams('tz=UTC'), NOW);
  assert.deepEqual(v.range, ['2026-02-16', '2026-03-15']);
  assert.deepEqual(v.previous, ['2026-01-19', '2026-02-15']);
  assert.equal(v.compare, true);
  assert.equal(v.granularity, 'day');
  assert.deepEqual(v.filters, {});
  assert.equal(v.site, null);
});

test('a custom range, site, filters and explicit granularity round-trip through the URL', () => {
  let p = new URLSearchParams('tz=UTC');
  p = applyViewPatch(p, { site: 'shop', range: ['2026-01-01', '2026-01-31'], granularity: 'week', compare: false, filters: { country: 'DE', page: '/pricing' } });
  const v = parseViewState(new URLSearchParams(p.toString()), NOW);
  assert.equal(v.site, 'shop');
  assert.equal(v.preset, 'custom');
  assert.deepEqual(v.range, ['2026-01-01', '2026-01-31']);
  assert.deepEqual(v.previous, ['2025-12-01', '2025-12-31']);
  assert.equal(v.granularity, 'week');
  assert.equal(v.compare, false);
  assert.deepEqual(v.filters, { country: 'DE', page: '/pricing' });
});

test('choosing a preset drops the custom dates; removing a filter removes its param', () => {
  const p = applyViewPatch(new URLSearchParams('range=custom&from=2026-01-01&to=2026-01-31&country=DE&metric=views'), { preset: '7d', filters: {} });
  assert.equal(p.get('from'), null);
  assert.equal(p.get('country'), null);
  assert.equal(p.get('metric'), 'views', 'page-specific params survive');
  assert.deepEqual(parseViewState(new URLSearchParams(`${p}&tz=UTC`), NOW).range, ['2026-03-09', '2026-03-15']);
});

test('bad values fall back instead of breaking the page', () => {
  const v = parseViewState(new URLSearchParams('tz=Not/AZone&range=bogus&from=2026-02-30&g=decade'), NOW);
  assert.equal(v.preset, '28d');
  assert.ok(['hour', 'day', 'week', 'month'].includes(v.granularity));
});

test('today in a zone east of UTC is already tomorrow', () => {
  const v = parseViewState(new URLSearchParams('tz=Pacific/Auckland&range=today'), new Date('2026-03-15T20:00:00Z'));
  assert.deepEqual(v.range, ['2026-03-16', '2026-03-16']);
  assert.equal(v.granularity, 'hour');
});
