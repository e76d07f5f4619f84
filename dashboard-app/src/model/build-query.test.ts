// Every report query carries the view: site, dates (current or previous), every filter, the time zone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { scopeQuery } from './build-query.ts';
import { CUBES, SESSIONS } from './members.ts';
import { parseViewState } from '../state/view-state.ts';

const view = parseViewState(new URLSearchParams('tz=Europe/Berlin&site=shop&range=custom&from=2026-01-08&to=2026-01-14&country=DE&device=mobile'), new Date('2026-01-20T00:00:00Z'));

test('current period: site and filters on the cube members, dates on its time dimension', () => {
  const q = scopeQuery({ measures: [SESSIONS.count] }, 'sessions', view, { granularity: 'day' });
  assert.deepEqual(q.timeDimensions, [{ dimension: CUBES.sessions.time, dateRange: ['2026-01-08', '2026-01-14'], granularity: 'day' }]);
  assert.equal(q.timezone, 'Europe/Berlin');
  assert.deepEqual(q.filters, [
    { member: CUBES.sessions.appId, operator: 'equals', values: ['shop'] },
    { member: CUBES.sessions.filters.country, operator: 'equals', values: ['DE'] },
    { member: CUBES.sessions.filters.device, operator: 'equals', values: ['mobile'] },
  ]);
});

test('previous period and a cube without a geo filter (retention keeps only the site)', () => {
  const q = scopeQuery({ measures: ['retention.users'] }, 'retention', view, { period: 'previous' });
  assert.deepEqual(q.timeDimensions?.[0]?.dateRange, ['2026-01-01', '2026-01-07']);
  assert.deepEqual(q.filters, [{ member: CUBES.retention.appId, operator: 'equals', values: ['shop'] }]);
});

test('the events cube adds its humans segment, since it keeps bot traffic', () => {
  const q = scopeQuery({ measures: ['events.count'] }, 'events', view);
  assert.deepEqual(q.segments, ['events.humans']);
});

test('compare: both periods in one query, as Cube compareDateRange (one result per range)', () => {
  const q = scopeQuery({ measures: [SESSIONS.count] }, 'sessions', view, { compare: true, granularity: 'day' });
  assert.deepEqual(q.timeDimensions, [{ dimension: CUBES.sessions.time, compareDateRange: [['2026-01-08', '2026-01-14'], ['2026-01-01', '2026-01-07']], granularity: 'day' }]);
});
