import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseRefreshArgs } from './refresh-command.ts';

test('refresh arguments: a forced one-off rebuild of a date range', () => {
  assert.deepEqual(parseRefreshArgs(['--once', '--force', '--date-range', '2026-01-01,2026-01-07', '--pre-aggregations=sessions.sessions_table']), {
    once: true, force: true, dateRange: ['2026-01-01', '2026-01-07'], preAggregations: ['sessions.sessions_table'],
  });
  assert.deepEqual(parseRefreshArgs([]), { once: false, force: false });
});

test('refresh arguments: bad ones name what is wrong', () => {
  assert.throws(() => parseRefreshArgs(['--date-range', '2026-01-01']), /--date-range needs two dates/);
  assert.throws(() => parseRefreshArgs(['--date-range=yesterday,today']), /--date-range needs two dates/);
  assert.throws(() => parseRefreshArgs(['--bogus']), /unknown argument --bogus/);
  assert.throws(() => parseRefreshArgs(['--timezones']), /--timezones needs a value/);
});
