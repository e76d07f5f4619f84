import { test } from 'node:test';
import assert from 'node:assert/strict';
import { newAtomicRow } from './atomic-row.ts';

test('a new row is an empty plain object: no keys, Object.prototype, serialises as {}', () => {
  const row = newAtomicRow();
  assert.equal(Object.getPrototypeOf(row), Object.prototype);
  assert.deepEqual(Object.keys(row), []);
  assert.equal(JSON.stringify(row), '{}');
  row.event = 'page_view';
  row.page_urlport = 443;
  assert.deepEqual(row, { event: 'page_view', page_urlport: 443 });
  assert.equal(JSON.stringify(row), '{"event":"page_view","page_urlport":443}');
  assert.notEqual(newAtomicRow(), row, 'each call is a fresh row');
  assert.deepEqual(newAtomicRow(), {});
});
