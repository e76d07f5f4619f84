// Refresh keys: `every` periods, SQL keys run on the source, incremental windows freezing old partitions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateRefreshKey, FROZEN, parseInterval } from './refresh-key.ts';
import type { SourceEngine } from './source-engine.ts';

const source = (value: unknown): SourceEngine & { calls: number } => {
  const s = { calls: 0, load: async () => [], sql: async () => { s.calls++; return [{ v: value }]; } };
  return s;
};

test('intervals parse Cube style', () => {
  assert.equal(parseInterval('1 hour'), 3600000);
  assert.equal(parseInterval('30 seconds'), 30000);
  assert.equal(parseInterval('7 day'), 7 * 86400000);
  assert.throws(() => parseInterval('soon'), /Invalid interval/);
});

test('every: the key changes once per period; the default is every hour', async () => {
  const s = source(1);
  const at = Date.parse('2024-01-01T10:20:00Z');
  const k1 = await evaluateRefreshKey(undefined, s, { now: at });
  assert.equal(await evaluateRefreshKey(undefined, s, { now: at + 30 * 60000 }), k1);
  assert.notEqual(await evaluateRefreshKey(undefined, s, { now: at + 60 * 60000 }), k1);
  assert.notEqual(await evaluateRefreshKey({ every: '10 minute' }, s, { now: at + 10 * 60000 }), await evaluateRefreshKey({ every: '10 minute' }, s, { now: at }));
});

test('sql keys run on the source once per pass (cached)', async () => {
  const s = source(42);
  const cache = new Map<string, string>();
  const key = { sql: ['SELECT max(id) FROM t'] };
  assert.equal(await evaluateRefreshKey(key, s, { now: 0, sqlCache: cache }), '[42]');
  assert.equal(await evaluateRefreshKey(key, s, { now: 0, sqlCache: cache }), '[42]');
  assert.equal(s.calls, 1);
  await assert.rejects(evaluateRefreshKey({ sql: ['SELECT ', { type: 'cube', cube: 'x' }] }, s, { now: 0 }), /only plain SQL/);
});

test('incremental: partitions ending before the update window are frozen', async () => {
  const s = source(1);
  const now = Date.parse('2024-03-10T00:00:00Z');
  const key = { every: '1 hour', incremental: true, updateWindow: '3 day' };
  assert.equal(await evaluateRefreshKey(key, s, { now, partitionEndUtcMs: Date.parse('2024-03-01T00:00:00Z') }), FROZEN);
  assert.notEqual(await evaluateRefreshKey(key, s, { now, partitionEndUtcMs: Date.parse('2024-03-09T00:00:00Z') }), FROZEN);
});
