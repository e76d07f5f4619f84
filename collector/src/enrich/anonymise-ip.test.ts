import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anonymiseIp } from './anonymise-ip.ts';

test('IPv4: the last N octets become x', () => {
  assert.equal(anonymiseIp('203.0.113.77', 1, 0), '203.0.113.x');
  assert.equal(anonymiseIp('203.0.113.77', 2, 0), '203.0.x.x');
  assert.equal(anonymiseIp('203.0.113.77', 4, 0), 'x.x.x.x');
  assert.equal(anonymiseIp('203.0.113.77', 0, 3), '203.0.113.77');
});

test('IPv6: compressed forms are expanded, then the last N segments become x', () => {
  assert.equal(anonymiseIp('2001:db8::1', 0, 2), '2001:db8:0:0:0:0:x:x');
  assert.equal(anonymiseIp('2001:db8:85a3:0:0:8a2e:370:7334', 0, 4), '2001:db8:85a3:0:x:x:x:x');
  assert.equal(anonymiseIp('::1', 0, 1), '0:0:0:0:0:0:0:x');
  assert.equal(anonymiseIp('::ffff:192.0.2.1', 0, 2), '0:0:0:0:0:ffff:x:x');
  assert.equal(anonymiseIp('2001:db8::1', 2, 0), '2001:db8::1');
});

test('non-IP strings pass through unchanged', () => {
  assert.equal(anonymiseIp('unknown', 2, 2), 'unknown');
});
