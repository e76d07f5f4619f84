// Time-zone conversion (wall time ↔ UTC) against known DST transitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { localToUtc, isValidTimeZone, parseLocal, wallMs, formatLocal } from './time-zone.ts';

test('localToUtc follows DST in America/New_York', () => {
  assert.equal(localToUtc('2024-01-15T00:00:00.000', 'America/New_York'), '2024-01-15T05:00:00.000');
  assert.equal(localToUtc('2024-07-15T00:00:00.000', 'America/New_York'), '2024-07-15T04:00:00.000');
  // 02:30 does not exist on 2024-03-10; moment resolves it forward to 03:30 EDT = 07:30Z.
  assert.equal(localToUtc('2024-03-10T02:30:00.000', 'America/New_York'), '2024-03-10T07:30:00.000');
  assert.equal(localToUtc('2024-06-01T23:59:59.999', 'Asia/Kolkata'), '2024-06-01T18:29:59.999');
});

test('wallMs gives the wall clock in the zone', () => {
  const ms = Date.UTC(2024, 6, 1, 3, 0, 0, 250);
  assert.equal(formatLocal(wallMs(ms, 'Europe/Berlin')), '2024-07-01T05:00:00.250');
});

test('time-zone validation and local parsing', () => {
  assert.ok(isValidTimeZone('Europe/Paris'));
  assert.ok(!isValidTimeZone('Mars/Olympus'));
  assert.equal(parseLocal('2024-02-30'), null);
  assert.equal(formatLocal(parseLocal('2024-02-03T04:05Z')!), '2024-02-03T04:05:00.000');
});
