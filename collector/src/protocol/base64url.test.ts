import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64Url, encodeBase64Url } from './base64url.ts';

test('round-trips UTF-8 and accepts both alphabets with or without padding', () => {
  const text = '{"a":"ünïcødé ✓ ~~~???"}';
  const url = encodeBase64Url(text);
  assert.doesNotMatch(url, /[+/=]/);
  assert.equal(decodeBase64Url(url), text);
  assert.equal(decodeBase64Url(Buffer.from(text).toString('base64')), text);
});

test('rejects what is not base64', () => {
  assert.equal(decodeBase64Url('ab$cd'), undefined);
  assert.equal(decodeBase64Url('abcde'), undefined, 'a length of 4n+1 cannot be valid');
});
