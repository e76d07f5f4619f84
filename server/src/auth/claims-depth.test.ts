import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError } from '../errors.ts';
import { checkClaimsDepth, MAX_CLAIMS_DEPTH } from './claims-depth.ts';

const nest = (n: number): unknown => {
  let v: unknown = 'x';
  for (let i = 0; i < n; i++) v = i % 2 ? [v] : { a: v };
  return v;
};

test('claims up to the limit pass; deeper ones, 100,000 levels included, are a 403 without recursion', () => {
  assert.doesNotThrow(() => checkClaimsDepth(nest(MAX_CLAIMS_DEPTH)));
  assert.doesNotThrow(() => checkClaimsDepth({ app_id: ['a', 'b'], u: { id: 1 }, exp: 1 }));
  for (const n of [MAX_CLAIMS_DEPTH + 1, 100_000]) {
    assert.throws(() => checkClaimsDepth(nest(n)), (e: unknown) => e instanceof AuthError && e.status === 403 && /nest deeper than 32 levels/.test(e.message));
  }
});
