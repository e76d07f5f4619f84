import { test } from 'node:test';
import assert from 'node:assert/strict';
import { batchEventSchema, batchEventToParams, batchTimestamp } from './batch-events.ts';

test('timestamps: ISO or ms; seconds are refused', () => {
  assert.equal(batchTimestamp('2024-05-01T12:00:00Z'), Date.UTC(2024, 4, 1, 12));
  assert.equal(batchTimestamp(1714564800000), 1714564800000);
  assert.match(String(batchTimestamp(1714564800)), /seconds/);
  assert.match(String(batchTimestamp('yesterday')), /ISO 8601/);
});

test('a custom event becomes a self-describing event with deterministic ids', () => {
  const e = batchEventSchema.parse({ event_type: 'order_paid', user_id: 'u1', session_id: 's-42', timestamp: 1714564800000, properties: { total: 12 } });
  const p1 = batchEventToParams(e, 'shop', 1714564800000);
  const p2 = batchEventToParams(e, 'shop', 1714564800000);
  assert.equal(p1.eid, p2.eid, 'a retried batch maps to the same event ids');
  assert.equal(p1.e, 'ue');
  assert.equal(p1.aid, 'shop');
  assert.equal(p1.uid, 'u1');
  assert.match(p1.sid, /^[0-9a-f-]{36}$/);
  assert.equal(p1.ttm, '1714564800000');
  const ue = JSON.parse(Buffer.from(p1.ue_px, 'base64url').toString());
  assert.deepEqual(ue.data, { schema: 'iglu:io.webcube/order_paid/jsonschema/1-0-0', data: { total: 12 } });
});

test('page_view maps to e=pv; a given UUID event_id is kept', () => {
  const e = batchEventSchema.parse({ event_id: 'AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE', event_type: 'page_view', url: 'https://x.example/a', timestamp: '2024-05-01T00:00:00Z' });
  const p = batchEventToParams(e, undefined, 1);
  assert.equal(p.e, 'pv');
  assert.equal(p.url, 'https://x.example/a');
  assert.equal(p.eid, 'aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee');
  assert.equal(batchEventSchema.safeParse({ event_type: 'has space', timestamp: 1 }).success, false);
});
