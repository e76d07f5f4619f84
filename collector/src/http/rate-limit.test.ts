import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RateLimiter } from './rate-limit.ts';

test('allows a burst of twice the rate, then asks to wait; refills over time; per key', () => {
  const r = new RateLimiter(5);
  const t = 1_000_000;
  for (let i = 0; i < 10; i++) assert.equal(r.take('a', t), 0, `request ${i}`);
  assert.equal(r.take('a', t), 1);
  assert.equal(r.take('b', t), 0, 'another client has its own bucket');
  assert.equal(r.take('a', t + 400), 0, '0.4 s refills two tokens');
  r.sweep(t + 10_000);
  assert.equal(r.size, 0);
});

test('a rate of 0 disables the limit', () => {
  const r = new RateLimiter(0);
  for (let i = 0; i < 100; i++) assert.equal(r.take('a'), 0);
});
