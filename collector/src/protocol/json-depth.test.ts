import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDepth, jsonTooDeep } from './json-depth.ts';

test('jsonDepth counts objects and arrays, not brackets inside strings or after escapes', () => {
  assert.equal(jsonDepth('1'), 0);
  assert.equal(jsonDepth('{"a":[1,{"b":[]}]}'), 4);
  assert.equal(jsonDepth('{"a":"[[[{{{"}'), 1);
  assert.equal(jsonDepth('{"a":"\\"[[["}'), 1);
  assert.equal(jsonDepth('["\\\\",[[]]]'), 3);
});

test('jsonDepth stops once past the limit, so a 100,000-deep text costs a prefix scan', () => {
  const deep = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.equal(jsonDepth(deep, 40), 41);
  assert.equal(jsonDepth(deep), 100_000);
});

test('jsonTooDeep names the value and the limit; short texts pass unscanned', () => {
  assert.equal(jsonTooDeep('[[]]', 2, 'body'), undefined, 'four characters cannot nest past 2');
  assert.equal(jsonTooDeep('[[[]]]', 2, 'body'), 'body nests deeper than 2 levels');
  assert.equal(jsonTooDeep('[[], [], []]', 2, 'body'), undefined);
});
