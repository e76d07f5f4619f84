import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isBotTraffic } from './bot.ts';

const chrome = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

test('crawlers, headless browsers and HTTP libraries are bots; real browsers are not', () => {
  assert.equal(isBotTraffic('Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'web', false), true);
  assert.equal(isBotTraffic(chrome.replace('Chrome/', 'HeadlessChrome/'), 'web', false), true);
  assert.equal(isBotTraffic('python-requests/2.31.0', 'web', false), true);
  assert.equal(isBotTraffic('curl/8.4.0', 'web', false), true);
  assert.equal(isBotTraffic(chrome, 'web', false), false);
});

test('a missing UA is suspicious from a browser but not from a server-side tracker', () => {
  assert.equal(isBotTraffic(undefined, 'web', false), true);
  assert.equal(isBotTraffic('node', 'srv', false), false, "the server's own HTTP client says nothing about the user");
  assert.equal(isBotTraffic('Googlebot/2.1', 'srv', true), true, 'a ua param forwarded by the server is judged');
});
