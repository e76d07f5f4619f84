import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentChangeOf, consentChangeOfParams, consentChangesInBody, withoutSessionUserIds } from './consent.ts';

const SP = 'iglu:com.snowplowanalytics.snowplow';
const ue = (schema: string, data: unknown) => JSON.stringify({ schema: `${SP}/unstruct_event/jsonschema/1-0-0`, data: { schema, data } });

test('consent plugin events: granted grants, withdrawn withdraws', () => {
  assert.equal(consentChangeOf(`${SP}/consent_granted/jsonschema/1-0-0`, { expiry: '2030-01-01' }), 'grant');
  assert.equal(consentChangeOf(`${SP}/consent_withdrawn/jsonschema/1-0-0`, { all: false }), 'withdraw');
  assert.equal(consentChangeOf('iglu:com.acme/consent_withdrawn/jsonschema/1-0-0', { all: true }), undefined, 'only Snowplow\'s schemas');
});

test('enhanced consent preferences: eventType decides; pending and CMP views change nothing', () => {
  const prefs = `${SP}/consent_preferences/jsonschema/1-0-0`;
  for (const t of ['allow_all', 'allow_selected', 'implicit_consent']) assert.equal(consentChangeOf(prefs, { eventType: t }), 'grant', t);
  for (const t of ['deny', 'withdrawn', 'expired']) assert.equal(consentChangeOf(prefs, { eventType: t }), 'withdraw', t);
  assert.equal(consentChangeOf(prefs, { eventType: 'pending' }), undefined);
  assert.equal(consentChangeOf(prefs, null), undefined);
});

test('tracker parameters: ue_pr and base64url ue_px are read', () => {
  const withdrawn = ue(`${SP}/consent_withdrawn/jsonschema/1-0-0`, { all: true });
  assert.equal(consentChangeOfParams({ e: 'ue', ue_pr: withdrawn }), 'withdraw');
  assert.equal(consentChangeOfParams({ e: 'ue', ue_px: Buffer.from(withdrawn).toString('base64url') }), 'withdraw');
  assert.equal(consentChangeOfParams({ e: 'ue', ue_pr: '{not json consent_' }), undefined);
  assert.equal(consentChangeOfParams({ e: 'pv' }), undefined);
});

test('a tp2 body gives its consent changes in order, plain or base64', () => {
  const granted = ue(`${SP}/consent_granted/jsonschema/1-0-0`, { expiry: null });
  const withdrawn = ue(`${SP}/consent_withdrawn/jsonschema/1-0-0`, { all: true });
  const body = (data: unknown[]) => JSON.stringify({ schema: `${SP}/payload_data/jsonschema/1-0-4`, data });
  assert.deepEqual(consentChangesInBody(body([{ e: 'ue', ue_pr: granted }, { e: 'pv' }, { e: 'ue', ue_pr: withdrawn }])), ['grant', 'withdraw']);
  const other = ue('iglu:com.acme/x/jsonschema/1-0-0', { a: 1 });
  assert.deepEqual(consentChangesInBody(body([{ e: 'ue', ue_px: Buffer.from(other).toString('base64url') },
    { e: 'ue', ue_px: Buffer.from(withdrawn).toString('base64') }])), ['withdraw']);
  assert.deepEqual(consentChangesInBody(body([{ e: 'ue', ue_px: Buffer.from(other).toString('base64url') }, { e: 'pv' }])), []);
  assert.deepEqual(consentChangesInBody('{"data": consent_ not json'), []);
});

test('the client_session context loses its user ids; other contexts stay as they were', () => {
  const session = { userId: 'a9c5e2b4-1f0d-4c7e-9b1a-2d3e4f5a6b7c', sessionId: 'b1c2d3e4-5f60-4718-8a9b-0c1d2e3f4a5b', sessionIndex: 3,
    previousSessionId: 'c1c2d3e4-5f60-4718-8a9b-0c1d2e3f4a5b', storageMechanism: 'COOKIE_1' };
  const page = { schema: `${SP}/web_page/jsonschema/1-0-0`, data: { id: 'p-1' } };
  const json = JSON.stringify({ schema: `${SP}/contexts/jsonschema/1-0-0`, data: [page, { schema: `${SP}/client_session/jsonschema/1-0-2`, data: session }] });
  const out = JSON.parse(withoutSessionUserIds(json)) as { data: { data: Record<string, unknown> }[] };
  assert.deepEqual(out.data[0], page);
  assert.deepEqual(out.data[1].data, { ...session, userId: '00000000-0000-0000-0000-000000000000', previousSessionId: null });
  const plain = JSON.stringify({ schema: `${SP}/contexts/jsonschema/1-0-0`, data: [page] });
  assert.equal(withoutSessionUserIds(plain), plain);
});
