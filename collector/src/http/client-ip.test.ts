import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { clientIp } from './client-ip.ts';

const req = (headers: Record<string, string>, remoteAddress = '::ffff:10.0.0.7') =>
  ({ headers, socket: { remoteAddress } }) as unknown as IncomingMessage;

test('untrusted: proxy headers are ignored, the dual-stack socket address is normalised', () => {
  assert.equal(clientIp(req({ 'x-forwarded-for': '203.0.113.1' }), false), '10.0.0.7');
  assert.equal(clientIp(req({}, '2001:db8::5'), false), '2001:db8::5');
});

test('trusted: X-Forwarded-For first entry, then Forwarded for=, then X-Real-Ip; junk falls back to the socket', () => {
  assert.equal(clientIp(req({ 'x-forwarded-for': '203.0.113.1, 10.0.0.1' }), true), '203.0.113.1');
  assert.equal(clientIp(req({ forwarded: 'for="[2001:db8::1]:443";proto=https' }), true), '2001:db8::1');
  assert.equal(clientIp(req({ forwarded: 'for=198.51.100.7:8080' }), true), '198.51.100.7');
  assert.equal(clientIp(req({ 'x-real-ip': '198.51.100.9' }), true), '198.51.100.9');
  assert.equal(clientIp(req({ 'x-forwarded-for': 'not-an-ip' }), true), '10.0.0.7');
});
