import { test } from 'node:test';
import assert from 'node:assert/strict';
import { derivedTstamp } from './derived-tstamp.ts';

test('true_tstamp wins', () => assert.equal(derivedTstamp(10_000, 1_000, 2_000, 5), 5));
test('collector time minus the device created→sent delay (skewed device clock cancels out)', () => {
  // Device clock is an hour behind; the event waited 3 s in the tracker's queue.
  const hour = 3_600_000;
  assert.equal(derivedTstamp(1_700_000_010_000, 1_700_000_000_000 - hour, 1_700_000_003_000 - hour), 1_700_000_007_000);
});
test('falls back to collector_tstamp when the device times are missing or out of order', () => {
  assert.equal(derivedTstamp(10_000, 9_000, undefined), 10_000);
  assert.equal(derivedTstamp(10_000, 9_000, 8_000), 10_000);
  assert.equal(derivedTstamp(10_000, null, null, null), 10_000);
});
