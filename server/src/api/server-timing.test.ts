import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ServerTiming } from './server-timing.ts';

test('Server-Timing keeps the slowest of concurrent parts and counts cache hits', async () => {
  const t = new ServerTiming();
  t.note('db', 12.34);
  t.note('db', 5);
  t.note('queue', 0.04);
  assert.equal(await t.time('prepare', async () => 'x'), 'x');
  t.cache(true);
  t.cache(false);
  const header = t.header();
  assert.match(header, /^db;dur=12\.3, queue;dur=0\.0, prepare;dur=\d+\.\d, cache;desc="1 hit 1 miss"$/);
});

test('a phase that throws is still timed', async () => {
  const t = new ServerTiming();
  await assert.rejects(t.time('auth', async () => { throw new Error('no token'); }), /no token/);
  assert.match(t.header(), /^auth;dur=\d+\.\d$/);
});
