// normalizeQuery: Cube defaults, order forms, relative/absolute date ranges with a fixed clock, filters, Cube's error wording.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qmModel } from './test-fixture.ts';
import { UserError } from '../errors.ts';
import { expandCompareDateRange } from './compare-date-range.ts';
import { normalizeQuery } from './normalize-query.ts';

const model = qmModel();
const now = new Date('2024-03-13T02:00:00Z'); // 2024-03-12 22:00 in New York (Tuesday)
const norm = (raw: unknown) => normalizeQuery(raw, model, { now });
const userError = (raw: unknown, message: RegExp) => assert.throws(() => norm(raw), (e: unknown) => e instanceof UserError && message.test(e.message));

test('defaults: limit 10000, UTC, Cube default order, frozen', () => {
  const q = norm({ measures: ['orders.count'], dimensions: ['orders.status'] });
  assert.equal(q.limit, 10_000);
  assert.equal(q.timezone, 'UTC');
  assert.deepEqual(q.order, [{ id: 'orders.count', desc: true }]);
  assert.ok(q.defaultOrder);
  assert.ok(Object.isFrozen(q) && Object.isFrozen(q.measures));
  const t = norm({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'week' }] });
  assert.deepEqual(t.order, [{ id: 'orders.created_at.week', desc: false }]);
});

test('order forms: object, array of pairs, and none dropped', () => {
  assert.deepEqual(norm({ measures: ['orders.count'], dimensions: ['orders.status'], order: { 'orders.status': 'asc', 'orders.count': 'none' } }).order, [{ id: 'orders.status', desc: false }]);
  assert.deepEqual(norm({ measures: ['orders.count'], dimensions: ['orders.status'], order: [['orders.count', 'desc'], ['orders.status', 'asc']] }).order,
    [{ id: 'orders.count', desc: true }, { id: 'orders.status', desc: false }]);
});

test('Cube.time.granularity in dimensions moves to timeDimensions', () => {
  const q = norm({ measures: ['orders.count'], dimensions: ['orders.created_at.month'] });
  assert.deepEqual(q.dimensions, []);
  assert.deepEqual(q.timeDimensions, [{ dimension: 'orders.created_at', granularity: 'month' }]);
});

test('relative date ranges resolve in the query time zone with a fixed clock', () => {
  const range = (dateRange: string, timezone = 'America/New_York') =>
    norm({ measures: ['orders.count'], timezone, timeDimensions: [{ dimension: 'orders.created_at', dateRange }] }).timeDimensions[0].dateRange;
  assert.deepEqual(range('today'), ['2024-03-12T00:00:00.000', '2024-03-12T23:59:59.999']);
  assert.deepEqual(range('today', 'UTC'), ['2024-03-13T00:00:00.000', '2024-03-13T23:59:59.999']);
  assert.deepEqual(range('yesterday'), ['2024-03-11T00:00:00.000', '2024-03-11T23:59:59.999']);
  assert.deepEqual(range('this week'), ['2024-03-11T00:00:00.000', '2024-03-17T23:59:59.999']);
  assert.deepEqual(range('last week'), ['2024-03-04T00:00:00.000', '2024-03-10T23:59:59.999']);
  assert.deepEqual(range('this quarter'), ['2024-01-01T00:00:00.000', '2024-03-31T23:59:59.999']);
  assert.deepEqual(range('last month'), ['2024-02-01T00:00:00.000', '2024-02-29T23:59:59.999']);
  assert.deepEqual(range('last year'), ['2023-01-01T00:00:00.000', '2023-12-31T23:59:59.999']);
  assert.deepEqual(range('last 7 days'), ['2024-03-05T00:00:00.000', '2024-03-11T23:59:59.999']);
  assert.deepEqual(range('last 2 months'), ['2024-01-01T00:00:00.000', '2024-02-29T23:59:59.999']);
  assert.deepEqual(range('from 7 days ago to now'), ['2024-03-05T00:00:00.000', '2024-03-12T23:59:59.999']);
  assert.deepEqual(range('from 2 days ago to 3 days from now'), ['2024-03-10T00:00:00.000', '2024-03-15T23:59:59.999']);
  assert.deepEqual(range('next 2 weeks'), ['2024-03-18T00:00:00.000', '2024-03-31T23:59:59.999']);
});

test('absolute date ranges pad dates and drop the zone suffix', () => {
  const td = (dateRange: unknown) => norm({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', dateRange }] }).timeDimensions[0].dateRange;
  assert.deepEqual(td(['2024-01-01', '2024-01-31']), ['2024-01-01T00:00:00.000', '2024-01-31T23:59:59.999']);
  assert.deepEqual(td(['2024-01-05']), ['2024-01-05T00:00:00.000', '2024-01-05T23:59:59.999']);
  assert.deepEqual(td(['2024-01-01T10:00:00Z', '2024-01-01T11:30:00.250']), ['2024-01-01T10:00:00.000', '2024-01-01T11:30:00.250']);
});

test('compareDateRange expands to one query per range', () => {
  const q = norm({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'day', compareDateRange: ['this week', ['2024-01-01', '2024-01-07']] }] });
  assert.equal(q.queryType, 'compareDateRangeQuery');
  const parts = expandCompareDateRange(q);
  assert.equal(parts.length, 2);
  assert.deepEqual(parts[1].query.timeDimensions[0], { dimension: 'orders.created_at', granularity: 'day', dateRange: ['2024-01-01T00:00:00.000', '2024-01-07T23:59:59.999'] });
  assert.equal(parts[0].query.queryType, 'regularQuery');
});

test('filters: values stringified, dimension alias accepted, date values normalised', () => {
  const q = norm({ measures: ['orders.count'], filters: [
    { dimension: 'orders.amount', operator: 'gt', values: [10] },
    { or: [{ member: 'orders.created_at', operator: 'inDateRange', values: ['2024-01-01', '2024-01-02'] }, { member: 'orders.created_at', operator: 'beforeOrOnDate', values: ['2024-01-01'] }] }] });
  assert.deepEqual(q.filters[0], { member: 'orders.amount', operator: 'gt', values: ['10'] });
  assert.deepEqual(q.filters[1], { or: [
    { member: 'orders.created_at', operator: 'inDateRange', values: ['2024-01-01T00:00:00.000', '2024-01-02T23:59:59.999'] },
    { member: 'orders.created_at', operator: 'beforeOrOnDate', values: ['2024-01-01T23:59:59.999'] }] });
});

test('bad queries fail with Cube wording', () => {
  userError(undefined, /^query param is required$/);
  userError({ measures: ['orders.count'], foo: 1 }, /^Invalid query format: "foo" is not allowed$/);
  userError({}, /^Query should contain either measures, dimensions or timeDimensions with granularities in order to be valid$/);
  userError({ measures: ['orders.nope'] }, /'orders\.nope' not found for path 'orders\.nope'/);
  userError({ measures: ['nope.count'] }, /Cube 'nope' not found/);
  userError({ measures: ['orders.status'] }, /'orders\.status' is a dimension, not a measure/);
  userError({ measures: ['orders.count'], limit: 50_001 }, /^The query limit has been exceeded\.$/);
  userError({ measures: ['orders.count'], timezone: 'Mars/Base' }, /Unknown time zone/);
  userError({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', granularity: 'fortnight' }] }, /Granularity 'fortnight' not found/);
  userError({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.status', granularity: 'day' }] }, /not a time dimension/);
  userError({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', dateRange: 'sometime soon' }] }, /Can't parse date: 'sometime soon'/);
  userError({ measures: ['orders.count'], filters: [{ member: 'orders.status', operator: 'like', values: ['x'] }] }, /filter operator 'like' is not supported/);
  userError({ measures: ['orders.count'], filters: [{ member: 'orders.status', operator: 'equals' }] }, /Values required for filter/);
  userError({ measures: ['orders.count'], order: { 'orders.nope': 'asc' } }, /'orders\.nope' not found/);
});

test('regressions (issue #18): non-dates compared with a time member, ranges past year 9999, deep and/or are UserErrors', () => {
  for (const operator of ['equals', 'notIn', 'lt', 'gte']) {
    userError({ measures: ['orders.count'], filters: [{ member: 'orders.created_at', operator, values: ['x'] }] }, /Can't parse date: 'x'/);
  }
  assert.deepEqual(norm({ measures: ['orders.count'], filters: [{ member: 'orders.created_at', operator: 'lt', values: ['2024-01-01', null] }] }).filters[0],
    { member: 'orders.created_at', operator: 'lt', values: ['2024-01-01', null] }, 'dates and nulls pass as they are');
  for (const dateRange of ['last 9999999999 days', 'next 99999 years', '9999999999 days ago to now']) {
    userError({ measures: ['orders.count'], timeDimensions: [{ dimension: 'orders.created_at', dateRange }] }, /out of range.*years 1 to 9999/);
  }
  userError({ measures: ['orders.count'], filters: [{ member: 'orders.created_at', operator: 'inDateRange', values: ['last 9999999999 days'] }] }, /out of range/);
  let deep: unknown = { member: 'orders.status', operator: 'set' };
  for (let i = 0; i < 1200; i++) deep = { and: [deep] };
  userError({ measures: ['orders.count'], filters: [deep] }, /filters nest deeper than 32 levels/);
});
