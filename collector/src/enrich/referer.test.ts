import { test } from 'node:test';
import assert from 'node:assert/strict';
import { classifyReferer } from './referer.ts';
import { parseUrlParts } from './url-parts.ts';

const page = parseUrlParts('https://www.shop.example/p');
const classify = (refr: string, internal: string[] = []) => classifyReferer(parseUrlParts(refr), page, internal);

test('search engines with their keyword parameter', () => {
  assert.deepEqual(classify('https://www.google.co.uk/search?q=red+shoes'), { refr_medium: 'search', refr_source: 'Google', refr_term: 'red shoes' });
  assert.deepEqual(classify('https://www.bing.com/search?q=x'), { refr_medium: 'search', refr_source: 'Bing', refr_term: 'x' });
  assert.deepEqual(classify('https://duckduckgo.com/'), { refr_medium: 'search', refr_source: 'DuckDuckGo', refr_term: null });
  assert.equal(classify('https://yandex.ru/search/?text=abc').refr_term, 'abc');
});

test('social, email, internal and unknown', () => {
  assert.deepEqual(classify('https://l.facebook.com/l.php?u=x'), { refr_medium: 'social', refr_source: 'Facebook', refr_term: null });
  assert.equal(classify('https://t.co/abc').refr_source, 'Twitter');
  assert.deepEqual(classify('https://mail.google.com/mail/u/0/'), { refr_medium: 'email', refr_source: 'Gmail', refr_term: null });
  assert.equal(classify('https://www.shop.example/other').refr_medium, 'internal');
  assert.equal(classify('https://blog.example.org/post', ['example.org']).refr_medium, 'internal');
  assert.deepEqual(classify('https://someblog.net/post'), { refr_medium: 'unknown', refr_source: null, refr_term: null });
  assert.deepEqual(classifyReferer(undefined, page, []), { refr_medium: null, refr_source: null, refr_term: null });
});

test('the same parsed referrer is classified per page: internal on its own host, a search elsewhere', () => {
  const refr = parseUrlParts('https://www.google.com/search?q=shoes');
  assert.equal(classifyReferer(refr, parseUrlParts('https://www.google.com/maps'), []).refr_medium, 'internal');
  assert.deepEqual(classifyReferer(refr, page, []), { refr_medium: 'search', refr_source: 'Google', refr_term: 'shoes' });
  assert.equal(classifyReferer(refr, page, ['google.com']).refr_medium, 'internal', 'other internal domains count too');
});
