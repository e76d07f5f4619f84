// The Explorer's URL state parses defensively and its query carries the view's site and filters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EXPLORER, parseExplorer, toCubeQuery } from './explorer-query.ts';
import { parseViewState } from '../../state/view-state.ts';

const view = parseViewState(new URLSearchParams('tz=UTC&site=shop&country=DE&range=custom&from=2026-01-01&to=2026-01-31'));

test('no or broken q gives the default question; limits are capped', () => {
  assert.deepEqual(parseExplorer(null), DEFAULT_EXPLORER);
  assert.deepEqual(parseExplorer('{not json'), { ...DEFAULT_EXPLORER, measures: [], timeDimension: null });
  assert.equal(parseExplorer(JSON.stringify({ measures: ['sessions.count'], limit: 10 ** 9 })).limit, 50000);
});

test('site and global filters apply to known cubes only; explorer filters and dates are kept', () => {
  const s = parseExplorer(JSON.stringify({ measures: ['sessions.count', 'other.total'], dimensions: [], timeDimension: 'sessions.start_time', granularity: 'week', filters: [{ member: 'sessions.browser', operator: 'equals', values: ['Chrome'] }] }));
  const q = toCubeQuery(s, view)!;
  assert.deepEqual(q.filters, [
    { member: 'sessions.browser', operator: 'equals', values: ['Chrome'] },
    { member: 'sessions.app_id', operator: 'equals', values: ['shop'] },
    { member: 'sessions.country', operator: 'equals', values: ['DE'] },
  ]);
  assert.deepEqual(q.timeDimensions, [{ dimension: 'sessions.start_time', dateRange: ['2026-01-01', '2026-01-31'], granularity: 'week' }]);
  assert.equal(toCubeQuery({ ...s, measures: [], dimensions: [] }, view), null);
});
