// Wall-clock bucket maths for partitions and matching.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatLocal, isDerivable, localToUtcMs, nowInZone, parseLocal, partitionRanges, truncate } from './time.ts';

test('partition ranges cover the build range with inclusive ends', () => {
  assert.deepEqual(partitionRanges('2024-01-30T10:00:00.000', '2024-02-02T00:00:00.000', 'day').map((r) => [r.start, r.end]), [
    ['2024-01-30T00:00:00.000', '2024-01-30T23:59:59.999'], ['2024-01-31T00:00:00.000', '2024-01-31T23:59:59.999'],
    ['2024-02-01T00:00:00.000', '2024-02-01T23:59:59.999'], ['2024-02-02T00:00:00.000', '2024-02-02T23:59:59.999'],
  ]);
  assert.deepEqual(partitionRanges('2024-02-15', '2024-04-01', 'month').map((r) => r.start),
    ['2024-02-01T00:00:00.000', '2024-03-01T00:00:00.000', '2024-04-01T00:00:00.000']);
  assert.equal(partitionRanges('2024-01-03', '2024-01-03', 'week')[0]!.start, '2024-01-01T00:00:00.000');
  assert.equal(partitionRanges('2023-12-31', '2023-12-31', 'week')[0]!.start, '2023-12-25T00:00:00.000');
});

test('truncation uses ISO weeks and quarters', () => {
  const d = parseLocal('2024-05-19T13:45:12.345');
  assert.equal(formatLocal(truncate(d, 'week')), '2024-05-13T00:00:00.000');
  assert.equal(formatLocal(truncate(d, 'quarter')), '2024-04-01T00:00:00.000');
  assert.equal(formatLocal(truncate(d, 'hour')), '2024-05-19T13:00:00.000');
});

test('derivable granularities: weeks do not roll up into months', () => {
  assert.ok(isDerivable('hour', 'day'));
  assert.ok(isDerivable('day', 'month'));
  assert.ok(isDerivable('day', 'week'));
  assert.ok(!isDerivable('week', 'month'));
  assert.ok(!isDerivable('day', 'hour'));
});

test('zone conversions follow DST', () => {
  const at = new Date('2024-07-01T12:00:00Z');
  assert.equal(formatLocal(nowInZone('America/New_York', at)), '2024-07-01T08:00:00.000');
  assert.equal(localToUtcMs(parseLocal('2024-01-15T00:00:00'), 'America/New_York'), Date.parse('2024-01-15T05:00:00Z'));
  assert.equal(localToUtcMs(parseLocal('2024-07-15T00:00:00'), 'America/New_York'), Date.parse('2024-07-15T04:00:00Z'));
});
