import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkFilterDepth, MAX_FILTER_DEPTH } from './filter-depth.ts';

const nest = (depth: number): unknown[] => {
  let f: unknown = { member: 'a.b', operator: 'set' };
  for (let i = 1; i < depth; i++) f = i % 2 ? { and: [f] } : { or: [f, { member: 'a.b', operator: 'set' }] };
  return [f];
};

test('filters up to the limit pass; one level more is a UserError naming it', () => {
  assert.doesNotThrow(() => checkFilterDepth(nest(MAX_FILTER_DEPTH)));
  assert.throws(() => checkFilterDepth(nest(MAX_FILTER_DEPTH + 1)), /filters nest deeper than 32 levels/);
});

test('100,000 levels are refused without recursion; wrong shapes are left to the schema', () => {
  assert.throws(() => checkFilterDepth(nest(100_000)), /nest deeper/);
  for (const v of [undefined, null, 'x', [1, null, 'a'], [{ and: 'x' }], { and: [] }]) assert.doesNotThrow(() => checkFilterDepth(v));
});
