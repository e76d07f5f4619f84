import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createUserAgentEnricher, parseUserAgent } from './user-agent.ts';

test('desktop Chrome on Windows', () => {
  const f = parseUserAgent('Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36');
  assert.equal(f.br_family, 'Chrome');
  assert.equal(f.br_name, 'Chrome 120');
  assert.equal(f.br_renderengine, 'Blink');
  assert.equal(f.os_family, 'Windows');
  assert.equal(f.os_manufacturer, 'Microsoft Corporation');
  assert.equal(f.dvce_type, 'Computer');
  assert.equal(f.dvce_ismobile, false);
});

test('iPhone Safari is mobile, iPad is a tablet', () => {
  const phone = parseUserAgent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1');
  assert.equal(phone.os_family, 'iOS');
  assert.equal(phone.os_manufacturer, 'Apple Inc.');
  assert.equal(phone.dvce_type, 'Mobile');
  assert.equal(phone.dvce_ismobile, true);
  const pad = parseUserAgent('Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1');
  assert.equal(pad.dvce_type, 'Tablet');
});

test('the cached enricher returns the same parse for a repeated UA, and nulls for none', () => {
  const enrich = createUserAgentEnricher(2);
  const ua = 'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0';
  const first = enrich(ua);
  assert.equal(first.br_family, 'Firefox');
  assert.equal(enrich(ua), first);
  assert.equal(enrich(undefined).br_family, null);
});
