import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { eventFingerprint, uuidFromText } from './fingerprint.ts';

test('fingerprint is MD5 over sorted key\\x1fvalue\\x1f pairs, ignoring eid, nuid, stm and cv', () => {
  const expected = createHash('md5').update('a\x1f1\x1fe\x1fpv\x1f').digest('hex');
  assert.equal(eventFingerprint({ e: 'pv', a: '1', eid: 'x', stm: '5', nuid: 'n', cv: 'c' }), expected);
  assert.equal(eventFingerprint({ e: 'pv', a: '1', stm: '6' }), expected, 'a retry with a new stm is the same event');
  assert.notEqual(eventFingerprint({ e: 'pv', a: '2' }), expected);
});

test('uuidFromText is a stable, well-formed UUID', () => {
  const a = uuidFromText('hello');
  assert.match(a, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(uuidFromText('hello'), a);
  assert.notEqual(uuidFromText('hello!'), a);
});

test('fingerprint ignores parameter order and never reuses a stale key order', () => {
  const one = eventFingerprint({ e: 'pv', p: 'web', aid: 'x' });
  assert.equal(eventFingerprint({ aid: 'x', e: 'pv', p: 'web' }), one);
  assert.equal(eventFingerprint({ e: 'pv', p: 'web', aid: 'x' }), one);
  // Same length as the previous call, other keys: must sort afresh.
  const expected = createHash('md5').update('aid\x1fx\x1fe\x1fpv\x1ftv\x1f1\x1f').digest('hex');
  assert.equal(eventFingerprint({ tv: '1', e: 'pv', aid: 'x' }), expected);
});
