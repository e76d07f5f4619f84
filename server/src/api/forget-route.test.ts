// The forget endpoint's input and the admin scope: exactly one identifier, and only a token's
// own `webcube:admin` scope claim (or contextToApiScopes) grants admin, never the defaults.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { forgetTarget } from './forget-route.ts';
import { checkScope } from '../auth/api-scopes.ts';

test('forget body: one of userId, domainUserid, networkUserid', () => {
  assert.deepEqual(forgetTarget({ userId: 'u1' }), { column: 'user_id', value: 'u1' });
  assert.deepEqual(forgetTarget({ domainUserid: 'd' }), { column: 'domain_userid', value: 'd' });
  assert.deepEqual(forgetTarget({ networkUserid: 'n' }), { column: 'network_userid', value: 'n' });
  assert.throws(() => forgetTarget({}), /exactly one/);
  assert.throws(() => forgetTarget({ userId: 'a', domainUserid: 'b' }), /exactly one/);
  assert.throws(() => forgetTarget({ email: 'a' }), /Unknown field/);
  assert.throws(() => forgetTarget({ userId: '' }), /non-empty/);
  assert.throws(() => forgetTarget({ userId: 3 }), /non-empty/);
  assert.throws(() => forgetTarget([]), /JSON object/);
});

test('admin scope: granted by the token scope claim or contextToApiScopes, never by default scopes', async () => {
  const defaults = ['meta', 'data', 'graphql', 'jobs'];
  await assert.rejects(checkScope('admin', { app_id: 'site-a' }, defaults, {}), /scope is missing: admin/);
  await assert.rejects(checkScope('admin', { scope: 'webcube:adminx' }, defaults, {}), /admin/);
  await checkScope('admin', { scope: 'openid webcube:admin' }, defaults, {});
  await checkScope('admin', { scope: ['webcube:admin'] }, [], {});
  await checkScope('admin', { role: 'ops' }, defaults, { contextToApiScopes: (ctx: Record<string, unknown>, d: string[]) => (ctx.role === 'ops' ? [...d, 'admin'] : d) } as never);
  await checkScope('data', { scope: 'webcube:admin' }, defaults, {});
});
