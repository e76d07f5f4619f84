import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnIndex, columnIndexes, RowBuilder } from './row-builder.ts';

type Value = string | number | boolean | null | undefined;
const stores: [string, Value][] = [
  ['collector_tstamp', 1], ['event', 'page_view'], ['event_id', undefined], ['page_url', 'https://a.example/'],
  ['web_page_id', undefined], ['event_id', '00000000-0000-4000-8000-000000000001'], ['geo_latitude', 52.5], ['is_bot', false],
];

function plain(): Record<string, Value> {
  const o: Record<string, Value> = {};
  for (const [k, v] of stores) o[k] = v;
  return o;
}

function built(b: RowBuilder): Record<string, Value> {
  b.start();
  for (const [k, v] of stores) b.set(columnIndex(k), v);
  return b.build();
}

test('a built row is the object plain stores make: first-set key order, later sets in place, undefined kept', () => {
  const b = new RowBuilder();
  // The first rows of an order take plain stores, later ones the compiled literal: both must match.
  for (let i = 0; i < 40; i++) {
    const row = built(b);
    assert.deepEqual(Object.keys(row), Object.keys(plain()));
    assert.deepEqual(row, plain());
    assert.equal(JSON.stringify(row), JSON.stringify(plain()));
    assert.equal(Object.getPrototypeOf(row), Object.prototype);
  }
  assert.notEqual(built(b), built(b), 'each row is a fresh object');
});

test('start() forgets the previous row; get reads what was set', () => {
  const b = new RowBuilder();
  const c = columnIndexes('app_id', 'platform');
  b.start();
  b.set(c.app_id, 'a');
  assert.equal(b.get(c.app_id), 'a');
  b.start();
  assert.equal(b.get(c.app_id), undefined);
  b.set(c.platform, 'web');
  assert.deepEqual(b.build(), { platform: 'web' });
});

test('a string over its column limit is flagged, also when replaced later (the cut then finds nothing)', () => {
  const b = new RowBuilder();
  const c = columnIndexes('geo_country', 'contexts');
  b.start();
  b.set(c.contexts, 'x'.repeat(100_000));
  assert.equal(b.anyOverLimit(), false, 'contexts has no limit');
  b.set(c.geo_country, 'USA');
  assert.equal(b.anyOverLimit(), true);
  b.start();
  assert.equal(b.anyOverLimit(), false);
});

test('unknown column names fail at load', () => {
  assert.throws(() => columnIndexes('app_id', 'no_such_column'), /not an atomic column/);
});
