// lossless-json: integers past 2^53 keep their digits, everything else parses as JSON.parse does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { losslessJson } from './lossless-json.ts';

test('integers past 2^53 come back as digit strings, safe ones as numbers', () => {
  const text = '{"data":[[9007199254740993,-9223372036854775808,9007199254740991,1.5E20,12345678901234567.5,"9007199254740993",null]]}';
  assert.deepEqual(losslessJson.parse(text), { data: [['9007199254740993', '-9223372036854775808', 9007199254740991, 1.5e20, 12345678901234567.5, '9007199254740993', null]] });
});

test('digits inside strings, escaped quotes included, are left alone', () => {
  const text = '{"a":"x\\"12345678901234567890\\"","b":[12345678901234567890]}';
  assert.deepEqual(losslessJson.parse(text), { a: 'x"12345678901234567890"', b: ['12345678901234567890'] });
});

test('text without long digit runs is plain JSON.parse', () => {
  const text = '{"columns":[{"name":"n","type":"bigint"}],"data":[[1],[-2],[3.25]],"ok":true}';
  assert.deepEqual(losslessJson.parse(text), JSON.parse(text));
});
