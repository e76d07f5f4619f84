// The build queue: bounded concurrency, one job per key, retries with backoff, failure status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BuildQueue } from './build-queue.ts';

test('retries a failing build, then reports done', async () => {
  const q = new BuildQueue({ concurrency: 1, retries: 2, backoffMs: 1 });
  let attempts = 0;
  const job = q.enqueue('a', async () => { if (++attempts < 3) throw new Error('connection lost'); return 'ok'; });
  assert.equal(await job.promise, 'ok');
  assert.equal(attempts, 3);
  assert.equal(job.status, 'done');
});

test('gives up after the retries with a failure status', async () => {
  const q = new BuildQueue({ concurrency: 1, retries: 1, backoffMs: 1 });
  const job = q.enqueue('a', async () => { throw new Error('boom'); });
  await assert.rejects(job.promise, /boom/);
  assert.equal(job.status, 'failure: boom');
});

test('the same partition queued twice runs once; concurrency is bounded', async () => {
  const q = new BuildQueue({ concurrency: 2, retries: 0, backoffMs: 1 });
  let running = 0, peak = 0, runs = 0;
  const work = async () => { runs++; running++; peak = Math.max(peak, running); await new Promise((r) => setTimeout(r, 5)); running--; return runs; };
  const a = q.enqueue('p1', work);
  assert.equal(q.enqueue('p1', work), a);
  const others = ['p2', 'p3', 'p4'].map((k) => q.enqueue(k, work));
  await Promise.all([a.promise, ...others.map((o) => o.promise)]);
  assert.equal(runs, 4);
  assert.equal(peak, 2);
});
