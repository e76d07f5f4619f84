import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkContexts, checkUnstructEvent, MAX_JSON_DEPTH } from './self-describing.ts';

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
