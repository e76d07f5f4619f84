import { test } from 'node:test';
import assert from 'node:assert/strict';
import { campaignFields } from './campaign.ts';
import { parseUrlParts } from './url-parts.ts';

test('utm parameters → mkt_*, decoded', () => {
  const f = campaignFields(parseUrlParts('https://x.example/?utm_source=news%20letter&utm_medium=email&utm_campaign=spring&utm_term=shoes&utm_content=hero'));
  assert.deepEqual(f, { mkt_medium: 'email', mkt_source: 'news letter', mkt_term: 'shoes', mkt_content: 'hero', mkt_campaign: 'spring', mkt_clickid: null, mkt_network: null });
});

test('click ids → mkt_clickid and mkt_network', () => {
  assert.equal(campaignFields(parseUrlParts('https://x.example/?gclid=abc')).mkt_network, 'Google');
  assert.equal(campaignFields(parseUrlParts('https://x.example/?msclkid=m1')).mkt_network, 'Microsoft');
  const fb = campaignFields(parseUrlParts('https://x.example/?fbclid=f1&utm_source=fb'));
  assert.equal(fb.mkt_clickid, 'f1');
  assert.equal(fb.mkt_network, 'Facebook');
  assert.equal(fb.mkt_source, 'fb');
  assert.equal(campaignFields(parseUrlParts('https://x.example/plain')).mkt_source, null);
});
