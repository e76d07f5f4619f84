// The previous-period check: the site's sessions up to the previous period's first day, whatever
// the global filters; no sessions there means the data starts inside the previous period and
// the cards show no percentage.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { comparableFrom, earlierDataQuery, HISTORY_START } from './use-comparable.ts';
import { parseViewState } from '../state/view-state.ts';

const now = new Date('2026-03-15T12:00:00Z');

test('the check counts the site\'s sessions from the start of history to the previous period\'s first day', () => {
  const view = parseViewState(new URLSearchParams('range=28d&site=shop&country=DE&tz=UTC'), now);
  const q = earlierDataQuery(view);
  assert.deepEqual(q.measures, ['sessions.count']);
  assert.deepEqual(q.timeDimensions?.[0]?.dateRange, [HISTORY_START, view.previous[0]]);
  assert.equal(view.previous[0], '2026-01-19', 'the 28 days before the last 28');
  assert.deepEqual(q.filters, [{ member: 'sessions.app_id', operator: 'equals', values: ['shop'] }], 'the site only: when the site began, not the filter');
});

test('compare only when the data reaches back to the previous period\'s first day', () => {
  assert.equal(comparableFrom('12'), true);
  assert.equal(comparableFrom('0'), false, 'a site that started within the previous period (the 30-day demo under "last 28 days")');
  assert.equal(comparableFrom(null), false, 'no row: no sessions');
  assert.equal(comparableFrom(undefined), null, 'not known yet');
});
