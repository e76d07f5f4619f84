import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyFieldLimits, fieldLimits } from './field-limits.ts';

test('cuts only over-long limited columns, in limit-table order, and leaves the rest alone', () => {
  const long = 'x'.repeat(5000);
  const row: Record<string, unknown> = { geo_country: 'USA', page_url: long, app_id: 'site', contexts: long, txn_id: 12 };
  const cut = applyFieldLimits(row);
  assert.deepEqual(cut, ['page_url', 'geo_country']);
  assert.equal(row.geo_country, 'US');
  assert.equal((row.page_url as string).length, fieldLimits.page_url);
  assert.equal(row.app_id, 'site');
  assert.equal(row.contexts, long, 'columns without a limit are kept whole');
  assert.equal(row.txn_id, 12);
});

test('a row within every limit is untouched', () => {
  const row = { geo_country: 'DE', page_url: 'https://a.example/', tr_currency: 'EUR' };
  assert.deepEqual(applyFieldLimits(row), []);
  assert.deepEqual(row, { geo_country: 'DE', page_url: 'https://a.example/', tr_currency: 'EUR' });
});

test('short limits are enforced below the fast path length, and a 16-char limit above it', () => {
  const row: Record<string, unknown> = { geo_region: 'ABCDE', tr_currency: 'EURO', page_urlscheme: 'x'.repeat(17), br_colordepth: '24' };
  assert.deepEqual(applyFieldLimits(row), ['page_urlscheme', 'tr_currency', 'geo_region']);
  assert.deepEqual(row, { geo_region: 'ABC', tr_currency: 'EUR', page_urlscheme: 'x'.repeat(16), br_colordepth: '24' });
});
