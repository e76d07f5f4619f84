// The funnel client tolerates the server's result shape and posts steps as the API expects.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { normalizeFunnel, toServerBody } from './funnels-api.ts';

test('request body: steps by event or page, window in seconds, ranges and site', () => {
  const body = toServerBody({ steps: [{ type: 'page', value: '/' }, { type: 'event', value: 'sign_up' }], windowSeconds: 3600, dateRange: ['2026-01-01', '2026-01-31'], compareDateRange: ['2025-12-01', '2025-12-31'], site: 'shop' });
  assert.deepEqual(body.steps, [{ name: '/', page: '/' }, { name: 'sign_up', event: 'sign_up' }]);
  assert.equal(body.windowSeconds, 3600);
  assert.deepEqual(body.compareDateRange, ['2025-12-01', '2025-12-31']);
  assert.equal(body.appId, 'shop');
});

test('result: status, steps and comparison read from a nested result', () => {
  const f = normalizeFunnel({ id: 'f1', status: 'done', result: { steps: [{ name: 'a', entered: 10, completed: 10, conversionFromPrevious: 1, conversionFromFirst: 1 }, { name: 'b', entered: 10, completed: 4, conversionFromPrevious: 0.4, conversionFromFirst: 0.4, medianSecondsToConvert: 30 }] , compare: { steps: [{ name: 'a', completed: 8 }] } } });
  assert.equal(f.status, 'done');
  assert.equal(f.steps[1]!.completed, 4);
  assert.equal(f.steps[1]!.medianSecondsToConvert, 30);
  assert.equal(f.compare?.[0]?.completed, 8);
  assert.equal(normalizeFunnel({ id: 'x', status: 'failed', error: 'bad step' }).status, 'error');
});
