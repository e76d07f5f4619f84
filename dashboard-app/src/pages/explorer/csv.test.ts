// CSV export quotes what RFC 4180 requires and keeps the column order of the table.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toCsv } from './csv.ts';

test('quotes commas, quotes and newlines; null is empty', () => {
  const csv = toCsv([{ key: 'a', title: 'Page' }, { key: 'b', title: 'Views' }], [{ a: '/x,y', b: '3' }, { a: 'say "hi"\n', b: null }]);
  assert.equal(csv, 'Page,Views\r\n"/x,y",3\r\n"say ""hi""\n",');
});
