import { test } from 'node:test';
import assert from 'node:assert/strict';
import { consentChangeOf, consentChangeOfParams, consentChangesInBody } from './consent.ts';

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
