import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LruCache } from './lru-cache.ts';

test('evicts the least recently used entry, a get refreshes; capacity 0 keeps nothing', () => {
  const c = new LruCache<string, number>(2);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1);
  c.set('c', 3);
  assert.equal(c.get('b'), undefined);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('c'), 3);
  assert.equal(c.size, 2);
  const none = new LruCache<string, number>(0);
  none.set('a', 1);
  assert.equal(none.get('a'), undefined);
});

test('repeated hits on the newest entry (the fast path) keep exact LRU order and see updates', () => {
  const c = new LruCache<string, number | null>(2);
  c.set('a', 1);
  c.set('b', 2);
  assert.equal(c.get('a'), 1);
  assert.equal(c.get('a'), 1);
  c.set('c', 3);
  assert.equal(c.get('b'), undefined, 'b was least recently used');
  c.set('c', 4);
  assert.equal(c.get('c'), 4, 'a new value for the newest key replaces the remembered one');
  c.set('n', null);
  assert.equal(c.get('n'), null, 'cached misses (null) are answered too');
  assert.equal(c.get('a'), undefined, 'a went when n came: c and n were newer');
});
