import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ANONYMOUS_NUID, createEnrichContext, processTrackerEvent } from './process-event.ts';

const ctx = createEnrichContext({ geoip: 'geoip-lite', anonOctets: 1, anonSegments: 2 });
const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36';
const enc = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const webPage = { schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: '11111111-2222-4333-8444-555555555555' } };
const contexts = { schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0', data: [webPage] };

test('a browser page view is mapped and enriched into atomic columns', () => {
  const { event, bad } = processTrackerEvent({
    e: 'pv', p: 'web', tv: 'js-4.10.1', tna: 'sp', aid: 'shop', eid: '9F0C6B8A-0000-4000-8000-000000000001',
    duid: 'd-1', sid: '9f0c6b8a-0000-4000-8000-0000000000aa', vid: '3', dtm: '1700000000000', stm: '1700000000500',
    url: 'https://shop.example/p/1?utm_source=google&utm_medium=cpc&gclid=g1', page: 'Product', refr: 'https://www.google.com/search?q=shoes',
    cx: enc(contexts), res: '1440x900', lang: 'en-GB', tz: 'Europe/London',
  }, { collectorTstamp: 1700000001000, ip: '8.8.8.8', useragent: chrome, networkUserId: 'n-1', source: 'tp2' }, ctx);
  assert.equal(bad, undefined);
  assert.ok(event);
  assert.equal(event.event, 'page_view');
  assert.equal(event.event_id, '9f0c6b8a-0000-4000-8000-000000000001');
  assert.equal(event.event_vendor, 'com.snowplowanalytics.snowplow');
  assert.equal(event.event_name, 'page_view');
  assert.equal(event.event_version, '1-0-0');
  assert.equal(event.collector_tstamp, 1700000001000);
  assert.equal(event.derived_tstamp, 1700000000500);
  assert.equal(event.network_userid, 'n-1');
  assert.equal(event.web_page_id, webPage.data.id);
  assert.equal(event.page_urlhost, 'shop.example');
  assert.equal(event.refr_medium, 'search');
  assert.equal(event.refr_term, 'shoes');
  assert.equal(event.mkt_source, 'google');
  assert.equal(event.mkt_network, 'Google');
  assert.equal(event.br_family, 'Chrome');
  assert.equal(event.os_family, 'macOS');
  assert.equal(event.geo_country, 'US', 'geo runs on the full IP');
  assert.equal(event.user_ipaddress, '8.8.8.x', 'then the IP is anonymised');
  assert.equal(event.is_bot, false);
  assert.match(String(event.event_fingerprint), /^[0-9a-f]{32}$/);
  assert.equal(JSON.parse(String(event.contexts)).data[0].data.id, webPage.data.id);
});

test('a self-describing event takes vendor/name/version from its inner schema', () => {
  const { event } = processTrackerEvent({
    e: 'ue', p: 'srv', tv: 'node-4.8.0', ue_pr: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0', data: { schema: 'iglu:com.acme/checkout/jsonschema/2-1-0', data: { total: 5 } } }),
  }, { collectorTstamp: 1 }, ctx);
  assert.equal(event?.event, 'unstruct');
  assert.equal(event?.event_vendor, 'com.acme');
  assert.equal(event?.event_name, 'checkout');
  assert.equal(event?.event_version, '2-1-0');
  assert.equal(JSON.parse(String(event?.unstruct_event)).data.data.total, 5);
});

test('the ip and ua parameters override the request; SP-Anonymous drops ip and network id', () => {
  const over = processTrackerEvent({ e: 'pv', p: 'web', tv: 't', ip: '1.1.1.1, 10.0.0.1', ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
    { collectorTstamp: 1, ip: '9.9.9.9', useragent: chrome }, ctx).event!;
  assert.equal(over.user_ipaddress, '1.1.1.x');
  assert.equal(over.useragent, 'Googlebot/2.1 (+http://www.google.com/bot.html)');
  assert.equal(over.is_bot, true);
  const anon = processTrackerEvent({ e: 'pv', p: 'web', tv: 't', ip: '1.1.1.1' },
    { collectorTstamp: 1, ip: '9.9.9.9', networkUserId: 'n', headers: { 'sp-anonymous': '*' } }, ctx).event!;
  assert.equal(anon.user_ipaddress, undefined);
  assert.equal(anon.geo_country, undefined);
  assert.equal(anon.network_userid, ANONYMOUS_NUID);
});

test('missing eid gives a deterministic id; over-long fields are cut and tagged', () => {
  const params = { e: 'pv', p: 'web', tv: 't', page: 'x'.repeat(3000) };
  const a = processTrackerEvent(params, { collectorTstamp: 5 }, ctx).event!;
  const b = processTrackerEvent(params, { collectorTstamp: 5 }, ctx).event!;
  assert.equal(a.event_id, b.event_id);
  assert.equal(String(a.page_title).length, 2000);
  assert.deepEqual(JSON.parse(String(a.etl_tags)), ['truncated:page_title']);
});

test('invalid events become bad rows with the raw payload and a reason', () => {
  const r = processTrackerEvent({ e: 'pv', p: 'web', tv: 't', dtm: 'yesterday' }, { collectorTstamp: 42, source: 'pixel' }, ctx);
  assert.equal(r.event, undefined);
  assert.equal(r.bad?.time, 42);
  assert.equal(r.bad?.source, 'pixel');
  assert.match(r.bad!.reason, /^schema_violation: dtm must be integer milliseconds/);
  assert.deepEqual(JSON.parse(r.bad!.raw), { e: 'pv', p: 'web', tv: 't', dtm: 'yesterday' });
  const big = processTrackerEvent({ e: 'pv', p: 'web', tv: 't', page: 'x'.repeat(2_000_000) }, { collectorTstamp: 1 }, ctx);
  assert.match(big.bad!.reason, /^size_violation/);
  assert.ok(big.bad!.raw.length < 100_000, 'the bad row keeps a bounded sample');
  const ue = processTrackerEvent({ e: 'ue', p: 'web', tv: 't', ue_px: '%%%' }, { collectorTstamp: 1 }, ctx);
  assert.match(ue.bad!.reason, /base64/);
});

test('the Referer header stands in for a missing url', () => {
  const r = processTrackerEvent({ e: 'pv', p: 'web', tv: 't' }, { collectorTstamp: 1, headers: { referer: 'https://a.example/from-header' } }, ctx);
  assert.equal(r.event?.page_urlpath, '/from-header');
});
