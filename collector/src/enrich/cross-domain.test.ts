import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crossDomainFields } from './cross-domain.ts';
import { parseUrlParts } from './url-parts.ts';

test('_sp=<duid>.<ts> → refr_domain_userid and refr_dvce_tstamp', () => {
  assert.deepEqual(crossDomainFields(parseUrlParts('https://b.example/?_sp=abc-123.1700000000000')), { refr_domain_userid: 'abc-123', refr_dvce_tstamp: 1700000000000 });
  assert.deepEqual(crossDomainFields(parseUrlParts('https://b.example/?x=1')), {});
});
