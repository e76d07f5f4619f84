import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isJsonContentType, parseTp2Body } from './parse-tp2.ts';

const schema = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';

test('content types the trackers send are accepted, others not', () => {
  for (const t of ['application/json', 'application/json; charset=UTF-8', 'Application/JSON;charset=utf-8']) assert.ok(isJsonContentType(t), t);
  for (const t of [undefined, 'text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1']) assert.ok(!isJsonContentType(t), String(t));
});

test('events are unpacked; query parameters are merged into each and win', () => {
  const body = JSON.stringify({ schema, data: [{ e: 'pv', p: 'web', tv: 't', aid: 'a' }, { e: 'pp', p: 'web', tv: 't' }] });
  const r = parseTp2Body(body, new URLSearchParams('aid=override'), 100, 1);
  assert.equal(r.events.length, 2);
  assert.equal(r.events[0].aid, 'override');
  assert.equal(r.events[1].aid, 'override');
  assert.equal(r.bad.length, 0);
});

test('an item with non-string values becomes its own bad row; the rest is kept', () => {
  const body = JSON.stringify({ schema, data: [{ e: 'pv', p: 'web', tv: 't' }, { e: 'pv', p: 'web', tv: 't', vid: 3 }, 'x'] });
  const r = parseTp2Body(body, undefined, 100, 7);
  assert.equal(r.events.length, 1);
  assert.equal(r.bad.length, 2);
  assert.match(r.bad[0].reason, /event #1 parameter "vid" must be a string, got number/);
  assert.equal(r.bad[0].time, 7);
  assert.match(r.bad[1].reason, /event #2 must be an object/);
});

test('body-level problems throw 400s', () => {
  assert.throws(() => parseTp2Body('{', undefined, 10, 0), /not valid JSON/);
  assert.throws(() => parseTp2Body(JSON.stringify({ schema: 'iglu:x/y/jsonschema/1-0-0', data: [{}] }), undefined, 10, 0), /payload_data/);
  assert.throws(() => parseTp2Body(JSON.stringify({ schema, data: [] }), undefined, 10, 0), /non-empty/);
  assert.throws(() => parseTp2Body(JSON.stringify({ schema, data: [{}, {}, {}] }), undefined, 2, 0), /too many events/);
});
