import { test } from 'node:test';
import assert from 'node:assert/strict';
import { columnIndex } from '../validate/row-builder.ts';
import type { FieldPatch } from './field-patch.ts';
import { createUrlFieldsEnricher } from './url-fields.ts';
import { createUrlParser } from './url-parts.ts';

const byName = (p: FieldPatch, name: string) => p.values[p.columns.indexOf(columnIndex(name))];

test('every URL column in enrich order, undefined where there is nothing; a new referrer is classified anew', () => {
  const fields = createUrlFieldsEnricher(createUrlParser(10), [], 10);
  const page = 'https://shop.example/p?utm_source=news&gclid=g1';
  const fromGoogle = fields(page, 'https://www.google.com/search?q=shoes');
  assert.equal(fromGoogle.columns.length, 24);
  assert.deepEqual(fromGoogle.columns.slice(0, 3), ['page_urlscheme', 'page_urlhost', 'page_urlport'].map(columnIndex));
  assert.equal(byName(fromGoogle, 'page_urlhost'), 'shop.example');
  assert.equal(byName(fromGoogle, 'page_urlfragment'), undefined);
  assert.equal(byName(fromGoogle, 'refr_medium'), 'search');
  assert.equal(byName(fromGoogle, 'refr_term'), 'shoes');
  assert.equal(byName(fromGoogle, 'mkt_source'), 'news');
  assert.equal(byName(fromGoogle, 'mkt_network'), 'Google');
  assert.equal(fields(page, 'https://www.google.com/search?q=shoes'), fromGoogle, 'remembered');
  assert.equal(byName(fields(page, 'https://shop.example/'), 'refr_medium'), 'internal');
  assert.equal(byName(fields(page, undefined), 'refr_medium'), undefined);
  assert.deepEqual(fields(undefined, undefined).values, Array(24).fill(undefined));
});
