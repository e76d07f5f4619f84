import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ContinueWait, QueryRunner } from './query-runner.ts';

/** A query whose completion the test controls, counting how often it was started. */
function gate<T>(value: T) {
  let release!: () => void;
  const done = new Promise<void>((r) => { release = r; });
  const state = { starts: 0 };
  const exec = async () => { state.starts++; await done; return value; };
  return { exec, release, state };
}

test('identical in-flight queries run once', async () => {
  const runner = new QueryRunner<number>({ continueWaitMs: 60_000, maxEntries: 10 });
  const g = gate(7);
  const a = runner.run('k', g.exec, { ttlMs: 0 });
  const b = runner.run('k', g.exec, { ttlMs: 0 });
  g.release();
  assert.deepEqual([(await a).value, (await b).value], [7, 7]);
  assert.equal(g.state.starts, 1);
});

test('a slow query answers Continue wait, keeps running, and the next poll gets its result', async () => {
  const runner = new QueryRunner<string>({ continueWaitMs: 0, maxEntries: 10 });
  const g = gate('rows');
  await assert.rejects(runner.run('k', g.exec, { ttlMs: 0 }), ContinueWait);
  g.release();
  await new Promise((r) => setImmediate(r));
  // ttl 0: nothing cached, yet the poll must receive the finished run instead of starting anew.
  const polled = await runner.run('k', g.exec, { ttlMs: 0, continueWaitMs: 1000 });
  assert.equal(polled.value, 'rows');
  assert.equal(g.state.starts, 1);
});

test('renewQuery polls still pick up the run they were told to wait for', async () => {
  const runner = new QueryRunner<string>({ continueWaitMs: 0, maxEntries: 10 });
  const g = gate('fresh');
  await assert.rejects(runner.run('k', g.exec, { ttlMs: 1000, renew: true }), ContinueWait);
  g.release();
  await new Promise((r) => setImmediate(r));
  assert.equal((await runner.run('k', g.exec, { ttlMs: 1000, renew: true, continueWaitMs: 1000 })).value, 'fresh');
  assert.equal(g.state.starts, 1);
});

test('results are cached for the ttl, renew bypasses the cache, LRU bound holds', async () => {
  const runner = new QueryRunner<number>({ continueWaitMs: 1000, maxEntries: 2 });
  let n = 0;
  const exec = async () => ++n;
  assert.equal((await runner.run('a', exec, { ttlMs: 60_000 })).value, 1);
  const hit = await runner.run('a', exec, { ttlMs: 60_000 });
  assert.deepEqual([hit.value, hit.cached], [1, true]);
  assert.equal((await runner.run('a', exec, { ttlMs: 60_000, renew: true })).value, 2);
  await runner.run('b', exec, { ttlMs: 60_000 });
  await runner.run('c', exec, { ttlMs: 60_000 });
  assert.equal(runner.size.cached, 2);
  assert.equal((await runner.run('a', exec, { ttlMs: 60_000 })).cached, false, 'oldest entry evicted');
});

test('errors reach every waiter and are not cached', async () => {
  const runner = new QueryRunner<number>({ continueWaitMs: 1000, maxEntries: 10 });
  let calls = 0;
  const fail = async () => { calls++; throw new Error('boom'); };
  await assert.rejects(runner.run('k', fail, { ttlMs: 60_000 }), /boom/);
  await assert.rejects(runner.run('k', fail, { ttlMs: 60_000 }), /boom/);
  assert.equal(calls, 2);
});

test('at most `concurrency` queries run at once; past maxQueue new ones get 503', async () => {
  const runner = new QueryRunner<number>({ continueWaitMs: 60_000, maxEntries: 0, concurrency: 2, maxQueue: 1 });
  let active = 0;
  let peak = 0;
  const releases: (() => void)[] = [];
  const exec = () => new Promise<number>((resolve) => {
    active++;
    peak = Math.max(peak, active);
    releases.push(() => { active--; resolve(1); });
  });
  const runs = [runner.run('a', exec, { ttlMs: 0 }), runner.run('b', exec, { ttlMs: 0 }), runner.run('c', exec, { ttlMs: 0 })];
  await assert.rejects(runner.run('d', exec, { ttlMs: 0 }), (e: unknown) => (e as { status?: number }).status === 503);
  await new Promise((r) => setImmediate(r));
  assert.equal(runner.size.running, 2);
  assert.equal(runner.size.waiting, 1);
  while (releases.length) { releases.shift()!(); await new Promise((r) => setImmediate(r)); }
  assert.deepEqual((await Promise.all(runs)).map((r) => r.value), [1, 1, 1]);
  assert.equal(peak, 2);
});

test('cache modes: stale-if-slow serves the old result when the fresh run is slow; must-revalidate waits', async () => {
  const runner = new QueryRunner<string>({ continueWaitMs: 0, maxEntries: 10 });
  assert.equal((await runner.run('k', async () => 'old', { ttlMs: 1, continueWaitMs: 1000 })).value, 'old');
  await new Promise((r) => setTimeout(r, 5));
  const g = gate('new');
  const slow = await runner.run('k', g.exec, { ttlMs: 60_000 });
  assert.deepEqual([slow.value, slow.stale], ['old', true]);
  await assert.rejects(runner.run('k', g.exec, { ttlMs: 60_000, mode: 'must-revalidate' }), ContinueWait);
  g.release();
  await new Promise((r) => setImmediate(r));
  assert.equal((await runner.run('k', g.exec, { ttlMs: 60_000 })).value, 'new');
  assert.equal(g.state.starts, 1, 'the stale answer and the waiting poll shared one fresh run');
});

test('cache modes: stale-while-revalidate answers at once and refreshes behind', async () => {
  const runner = new QueryRunner<string>({ continueWaitMs: 60_000, maxEntries: 10 });
  await runner.run('k', async () => 'old', { ttlMs: 1 });
  await new Promise((r) => setTimeout(r, 5));
  const g = gate('new');
  const r = await runner.run('k', g.exec, { ttlMs: 60_000, mode: 'stale-while-revalidate' });
  assert.deepEqual([r.value, r.stale], ['old', true]);
  g.release();
  await new Promise((res) => setImmediate(res));
  assert.equal((await runner.run('k', g.exec, { ttlMs: 60_000, mode: 'stale-while-revalidate' })).value, 'new');
  assert.equal(g.state.starts, 1);
});

test('the cache stays within its weight budget and skips results too big to keep', async () => {
  const runner = new QueryRunner<number[]>({ continueWaitMs: 1000, maxEntries: 100, maxWeight: 40, weigh: (v) => v.length });
  const rows = (n: number) => async () => Array.from({ length: n }, (_, i) => i);
  await runner.run('a', rows(8), { ttlMs: 60_000 });
  await runner.run('b', rows(8), { ttlMs: 60_000 });
  await runner.run('big', rows(11), { ttlMs: 60_000 });
  assert.equal((await runner.run('big', rows(11), { ttlMs: 60_000 })).cached, false, 'over a quarter of the budget: not cached');
  for (const k of ['c', 'd', 'e', 'f']) await runner.run(k, rows(8), { ttlMs: 60_000 });
  assert.ok(runner.size.weight <= 40);
  assert.equal((await runner.run('f', rows(8), { ttlMs: 60_000 })).cached, true);
  assert.equal((await runner.run('a', rows(8), { ttlMs: 60_000 })).cached, false, 'least recently used went first');
});
