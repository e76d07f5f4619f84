import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTime, transformValue } from './transform-value.ts';

test('times become local YYYY-MM-DDTHH:mm:ss.SSS without Z, whatever the driver returned', () => {
  assert.equal(formatTime('2024-01-05 00:00:00'), '2024-01-05T00:00:00.000');
  assert.equal(formatTime('2024-01-05T13:04:05.123456'), '2024-01-05T13:04:05.123');
  assert.equal(formatTime('2024-01-05'), '2024-01-05T00:00:00.000');
  assert.equal(formatTime(new Date(Date.UTC(2024, 0, 5, 1, 2, 3, 4))), '2024-01-05T01:02:03.004');
  assert.equal(formatTime('2024-01-05T10:00:00+02:00'), '2024-01-05T08:00:00.000', 'offsets are converted like moment.utc');
});

test('numbers and bigints become strings, null stays null, strings and booleans pass', () => {
  assert.equal(transformValue(12, 'number'), '12');
  assert.equal(transformValue(1.5, 'number'), '1.5');
  assert.equal(transformValue(12n, 'number'), '12');
  assert.equal(transformValue(null, 'number'), null);
  assert.equal(transformValue('x', 'string'), 'x');
  assert.equal(transformValue(true, 'boolean'), true);
  assert.equal(transformValue({ value: 3 }, 'number'), '3');
  assert.equal(transformValue('2024-01-01 00:00:00', 'time'), '2024-01-01T00:00:00.000');
});
