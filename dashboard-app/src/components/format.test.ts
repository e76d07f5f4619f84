// Cube's time buckets read as wall time and shown as precisely as their granularity, in the given locale.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatBucket } from './format.ts';

test('each granularity shows what it means, never the raw ISO string', () => {
  const x = '2026-11-15T00:00:00.000';
  assert.equal(formatBucket(x, 'day', false, 'en-US'), 'Nov 15');
  assert.equal(formatBucket(x, 'day', true, 'en-US'), 'Nov 15, 2026');
  assert.equal(formatBucket(x, 'day', true, 'de-DE'), '15. Nov. 2026');
  assert.equal(formatBucket(x, 'month', false, 'en-US'), 'Nov 2026');
  assert.equal(formatBucket(x, 'quarter', false, 'en-US'), 'Q4 2026');
  assert.equal(formatBucket(x, 'year', false, 'en-US'), '2026');
  assert.equal(formatBucket('2026-11-15T23:00:00.000', 'hour', true, 'en-GB'), '15 Nov 2026, 23:00', 'wall time, not shifted by the viewer zone');
  assert.equal(formatBucket('not a date', 'day'), 'not a date');
});
