import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_MAX_JSON_DEPTH as MAX_JSON_DEPTH } from '../protocol/json-depth.ts';
import { checkContexts, checkUnstructEvent } from './self-describing.ts';

const ue = (inner: unknown) => JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: inner });
const ctx = (items: unknown[]) => JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0', data: items });

test('a self-describing event yields its schema key and compact JSON, plain or base64url', () => {
  const text = ue({ schema: 'iglu:com.acme/sign_up/jsonschema/1-2-0', data: { plan: 'pro ✓' } });
  const plain = checkUnstructEvent(text, undefined);
  assert.ok(plain.ok);
  assert.deepEqual(plain.value.key, { vendor: 'com.acme', name: 'sign_up', format: 'jsonschema', version: '1-2-0' });
  assert.deepEqual(JSON.parse(plain.value.json), JSON.parse(text));
  const encoded = checkUnstructEvent(undefined, Buffer.from(text).toString('base64url'));
  assert.ok(encoded.ok);
  assert.equal(encoded.value.json, plain.value.json);
  const padded = checkUnstructEvent(undefined, Buffer.from(text).toString('base64'));
  assert.ok(padded.ok, 'standard alphabet with padding is accepted too');
});

test('bad envelopes give reasons', () => {
  assert.match((checkUnstructEvent('{', undefined) as { reason: string }).reason, /not valid JSON/);
  assert.match((checkUnstructEvent(undefined, '!!!') as { reason: string }).reason, /not valid base64url/);
  assert.match((checkUnstructEvent(JSON.stringify({ schema: 'x', data: {} }), undefined) as { reason: string }).reason, /unstruct_event/);
  assert.match((checkUnstructEvent(ue({ schema: 'iglu:bad', data: {} }), undefined) as { reason: string }).reason, /invalid schema URI/);
  let deep: unknown = 1;
  for (let i = 0; i < MAX_JSON_DEPTH + 5; i++) deep = { d: deep };
  assert.match((checkUnstructEvent(ue({ schema: 'iglu:a.b/c/jsonschema/1-0-0', data: deep }), undefined) as { reason: string }).reason, /nests deeper/);
});

test('contexts: each entity checked, the web_page id lifted out', () => {
  const ok = checkContexts(ctx([
    { schema: 'iglu:com.acme/user/jsonschema/1-0-0', data: { tier: 'gold' } },
    { schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: 'f0e1d2c3-0000-4000-8000-000000000001' } },
  ]), undefined);
  assert.ok(ok.ok);
  assert.equal(ok.value.webPageId, 'f0e1d2c3-0000-4000-8000-000000000001');
  const bad = checkContexts(ctx([{ schema: 'iglu:com.acme/user/jsonschema/1-0-0' }]), undefined);
  assert.ok(!bad.ok);
  assert.match(bad.reason, /context #0/);
});

test('depth is checked against the configured limit before parsing (COLLECTOR_MAX_JSON_DEPTH)', () => {
  const event = ue({ schema: 'iglu:a.b/c/jsonschema/1-0-0', data: { a: { b: { c: 1 } } } }); // 5 levels
  assert.ok(checkUnstructEvent(event, undefined, 5).ok);
  assert.equal((checkUnstructEvent(event, undefined, 4) as { reason: string }).reason, 'ue_pr/ue_px nests deeper than 4 levels');
  const hostile = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
  assert.equal((checkContexts(hostile, undefined) as { reason: string }).reason, `co/cx nests deeper than ${MAX_JSON_DEPTH} levels`);
  assert.equal((checkContexts(undefined, Buffer.from(hostile).toString('base64url')) as { reason: string }).reason, `co/cx nests deeper than ${MAX_JSON_DEPTH} levels`);
});
