import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SignJWT } from 'jose';
import { createTokenVerifier, extractToken } from './verify-token.ts';
import { signToken } from './sign-token.ts';
import { AuthError } from '../errors.ts';

test('raw and Bearer tokens both work; the payload is the security context', async () => {
  const verify = createTokenVerifier({ secret: 's3cret' });
  const token = await signToken({ app_id: 'site-a', u: { role: 'viewer' } }, 's3cret', { expiresIn: '1h' });
  const ctx = await verify(token);
  assert.equal(ctx.app_id, 'site-a');
  assert.equal(ctx.role, 'viewer', 'legacy `u` claim is merged as Cube does');
  assert.equal((await verify(`Bearer ${token}`)).app_id, 'site-a');
  assert.equal(extractToken('bearer abc'), 'abc');
});

test('missing, wrong-secret, expired and alg=none tokens are refused with Cube\'s messages', async () => {
  const verify = createTokenVerifier({ secret: 's3cret' });
  await assert.rejects(verify(undefined), (e: unknown) => e instanceof AuthError && e.message === "Authorization header isn't set" && e.status === 403);
  await assert.rejects(verify(await signToken({}, 'other')), { message: 'Invalid token' });
  const expired = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setExpirationTime(Math.floor(Date.now() / 1000) - 10).sign(new TextEncoder().encode('s3cret'));
  await assert.rejects(verify(expired), { message: 'Invalid token' });
  const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"app_id":"x"}').toString('base64url')}.`;
  await assert.rejects(verify(none), { message: 'Invalid token' });
});

test('a claims namespace narrows the context; audience and issuer are checked', async () => {
  const verify = createTokenVerifier({ secret: 's', claimsNamespace: 'https://webcube/ctx', audience: 'dash', issuer: 'me' });
  const good = await new SignJWT({ 'https://webcube/ctx': { app_id: 'b' } }).setProtectedHeader({ alg: 'HS256' }).setAudience('dash').setIssuer('me').sign(new TextEncoder().encode('s'));
  assert.deepEqual(await verify(good), { app_id: 'b' });
  const wrongAud = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setAudience('other').setIssuer('me').sign(new TextEncoder().encode('s'));
  await assert.rejects(verify(wrongAud), { message: 'Invalid token' });
});

test('RS256 tokens verify against a JWKS URL (CUBEJS_JWK_URL), by kid', async () => {
  const { createServer } = await import('node:http');
  const { exportJWK, generateKeyPair } = await import('jose');
  const { privateKey, publicKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' };
  const server = createServer((_req, res) => { res.setHeader('content-type', 'application/json'); res.end(JSON.stringify({ keys: [jwk] })); });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const { port } = server.address() as { port: number };
    const verify = createTokenVerifier({ jwkUrl: `http://127.0.0.1:${port}/jwks.json` });
    const token = await new SignJWT({ app_id: 'site-z' }).setProtectedHeader({ alg: 'RS256', kid: 'k1' }).setExpirationTime('1h').sign(privateKey);
    assert.equal((await verify(token)).app_id, 'site-z');
    await assert.rejects(verify(await signToken({}, 'hs-secret')), { message: 'Invalid token' });
  } finally {
    server.close();
  }
});
