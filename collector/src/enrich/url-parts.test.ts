import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseUrlParts, urlColumns } from './url-parts.ts';

test('splits a URL the way enrich does, with default ports and raw query/fragment', () => {
  assert.deepEqual(urlColumns('page', parseUrlParts('https://Shop.Example.com/a%20b/c?x=%C3%A9&y=2#top')), {
    page_urlscheme: 'https', page_urlhost: 'shop.example.com', page_urlport: 443,
    page_urlpath: '/a%20b/c', page_urlquery: 'x=%C3%A9&y=2', page_urlfragment: 'top',
  });
  assert.equal(parseUrlParts('http://example.com')?.port, 80);
  assert.equal(parseUrlParts('http://example.com:8080/')?.port, 8080);
  assert.equal(parseUrlParts('https://example.com/')?.query, null);
  assert.deepEqual(urlColumns('refr', parseUrlParts('http://example.com/')), {
    refr_urlscheme: 'http', refr_urlhost: 'example.com', refr_urlport: 80, refr_urlpath: '/',
  });
});

test('tabs and control characters are cleaned; unparsable URLs give no parts', () => {
  assert.equal(parseUrlParts('https://example.com/a\tb')?.path, '/a%20%20%20%20b');
  assert.equal(parseUrlParts('not a url'), undefined);
  assert.equal(parseUrlParts(''), undefined);
  assert.deepEqual(urlColumns('refr', undefined), {});
});
