// Saved funnels: one entry per distinct funnel, the newest run first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { uniqueFunnels } from './use-funnel.ts';
import type { FunnelResult } from '../../api/funnels-api.ts';

const run = (id: string, name: string, createdAt: string, windowSeconds = 86400): FunnelResult =>
  ({ id, name, status: 'done', steps: [], createdAt, request: { steps: [{ page: '/' }, { event: name }], windowSeconds } });

test('duplicates collapse to the newest run; a different window is a different funnel', () => {
  const list = uniqueFunnels([run('a', 'x', '2026-01-01T00:00:00Z'), run('b', 'x', '2026-01-02T00:00:00Z'), run('c', 'x', '2026-01-03T00:00:00Z', 3600), run('d', 'y', '2026-01-01T12:00:00Z')]);
  assert.deepEqual(list.map((f) => f.id), ['c', 'b', 'd']);
});
