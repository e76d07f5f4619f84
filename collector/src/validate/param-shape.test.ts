import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readParams } from './param-shape.ts';

test('names and values in order; the same names in the same order share one shape', () => {
  const a = readParams({ e: 'pv', p: 'web', tv: 't' });
  assert.deepEqual(a.shape.keys, ['e', 'p', 'tv']);
  assert.deepEqual(a.values, ['pv', 'web', 't']);
  assert.equal(a.shape.keyChars, 4);
  assert.equal(readParams({ e: 'pp', p: 'mob', tv: 'u' }).shape, a.shape);
  assert.notEqual(readParams({ p: 'web', e: 'pv', tv: 't' }).shape, a.shape, 'another order is another shape');
  for (let i = 0; i < 10; i++) readParams({ [`k${i}`]: '1' });
  assert.equal(readParams({ e: 'pv', p: 'web', tv: 't' }).shape, a.shape, 'found again after others pushed it out of the recent ones');
});

test('names holding the separator do not collide', () => {
  const one = readParams({ 'a\nb': '1' });
  const two = readParams({ a: '1', b: '2' });
  assert.notEqual(one.shape, two.shape);
  assert.deepEqual(readParams({ 'a\nb': '1' }).shape.keys, ['a\nb']);
  assert.deepEqual(readParams({ a: '1', b: '2' }).shape.keys, ['a', 'b']);
});
