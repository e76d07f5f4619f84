import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stalledPartitions } from './partition-watchdog.ts';

test('a partition is stalled only when records wait past its checkpoint and it has been idle that long', () => {
  const progress = [
    { partition: 0, end: 10n, next: 10n, idleMs: 60_000 }, // caught up
    { partition: 1, end: 12n, next: 10n, idleMs: 4_999 }, // behind, but moved recently
    { partition: 2, end: 12n, next: 10n, idleMs: 5_000 }, // behind and idle
    { partition: 3, end: 0n, next: 0n, idleMs: 60_000 }, // empty
  ];
  assert.deepEqual(stalledPartitions(progress, 5_000).map((p) => p.partition), [2]);
});
