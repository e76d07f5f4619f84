import { test } from 'node:test';
import assert from 'node:assert/strict';
import { lastMinutes, localTimestamp } from './local-time.ts';

test('local timestamps are wall-clock time in the zone, without a zone suffix', () => {
  assert.equal(localTimestamp(new Date('2026-03-29T01:30:15Z'), 'Europe/Berlin'), '2026-03-29T03:30:15.000');
  assert.equal(localTimestamp(new Date('2026-03-29T01:30:15Z'), 'UTC'), '2026-03-29T01:30:15.000');
});

test('the last N minutes are whole minutes: the current one and the N - 1 before it', () => {
  const now = new Date('2026-11-22T18:55:46.123Z');
  assert.deepEqual(lastMinutes(now, 30, 'UTC'), ['2026-11-22T18:26:00.000', '2026-11-22T18:55:59.999']);
  assert.deepEqual(lastMinutes(now, 5, 'Asia/Kolkata'), ['2026-11-23T00:21:00.000', '2026-11-23T00:25:59.999']);
  assert.deepEqual(lastMinutes(new Date('2026-11-22T23:59:00.000Z'), 1, 'UTC'), ['2026-11-22T23:59:00.000', '2026-11-22T23:59:59.999']);
});
