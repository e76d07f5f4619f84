import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuthError, UserError } from '../errors.ts';
import { callHook, hookError } from './hook-error.ts';

test('a cube.js hook that throws refuses the context: 403 with its message, 401 when it says so', async () => {
  const e = hookError(new Error('The token restricts access to an empty list of sites (app_id)'));
  assert.ok(e instanceof AuthError);
  assert.equal(e.status, 403);
  assert.equal(e.message, 'The token restricts access to an empty list of sites (app_id)');
  assert.equal(hookError(Object.assign(new Error('who are you'), { status: 401 })).status, 401);
  assert.equal(hookError('a string').message, 'a string');
  assert.equal(hookError(null).message, 'null');
  const user = new UserError('keep me');
  assert.equal(hookError(user), user, 'our own errors pass as they are');
  await assert.rejects(callHook(() => { throw new TypeError('Cannot convert object to primitive value'); }), (x: unknown) => x instanceof AuthError && x.status === 403);
  assert.equal(await callHook(async () => 7), 7);
});
