import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BAD_ROW_SAMPLE_BYTES, makeBadRow, wellFormed } from './bad-row.ts';

test('lone surrogates become U+FFFD; pairs and other text stay as they are', () => {
  assert.equal(wellFormed('a\ud83d\ude00b'), 'a\ud83d\ude00b');
  assert.equal(wellFormed('a\ud83db'), 'a\ufffdb');
  assert.equal(wellFormed('\ude00\ud83d'), '\ufffd\ufffd');
  assert.equal(wellFormed('\ud83d\ud83d\ude00'), '\ufffd\ud83d\ude00');
  assert.equal(wellFormed('plain'), 'plain');
});

test('a sample cut inside a surrogate pair is well-formed (DuckDB drops a JSON line holding a lone one)', () => {
  const raw = `${'x'.repeat(BAD_ROW_SAMPLE_BYTES - 1)}😀 and more`;
  const row = makeBadRow(raw, 'reason \udc00', 1, 'tp2');
  assert.ok(!/[\ud800-\udbff]…/.test(row.raw));
  assert.equal(row.raw.slice(BAD_ROW_SAMPLE_BYTES - 1, BAD_ROW_SAMPLE_BYTES), '\ufffd');
  assert.equal(row.reason, 'reason \ufffd');
});
