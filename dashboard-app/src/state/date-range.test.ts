// Presets and previous periods as calendar arithmetic, including month ends and leap years.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { daysBetween, presetRange, previousRange, defaultGranularity } from './date-range.ts';

test('presets end today and cover the stated number of days', () => {
  assert.deepEqual(presetRange('7d', '2024-03-01'), ['2024-02-24', '2024-03-01']);
  assert.equal(daysBetween(...presetRange('90d', '2024-03-01')), 90);
  assert.deepEqual(presetRange('yesterday', '2024-03-01'), ['2024-02-29', '2024-02-29']);
  assert.deepEqual(presetRange('mtd', '2024-03-17'), ['2024-03-01', '2024-03-17']);
  assert.deepEqual(presetRange('lastmonth', '2024-03-17'), ['2024-02-01', '2024-02-29']);
});

test('the previous period has the same length and ends the day before', () => {
  assert.deepEqual(previousRange(['2024-03-01', '2024-03-07']), ['2024-02-23', '2024-02-29']);
  assert.deepEqual(previousRange(['2024-01-01', '2024-01-01']), ['2023-12-31', '2023-12-31']);
});

test('granularity follows the range length', () => {
  assert.equal(defaultGranularity(['2024-01-01', '2024-01-02']), 'hour');
  assert.equal(defaultGranularity(['2024-01-01', '2024-02-01']), 'day');
  assert.equal(defaultGranularity(['2024-01-01', '2024-12-31']), 'week');
  assert.equal(defaultGranularity(['2022-01-01', '2024-12-31']), 'month');
});
