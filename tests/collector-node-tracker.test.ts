// The official @snowplow/node-tracker sends to a real collector; the rows read back from Parquet
// with DuckDB carry the right values in the right columns.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { buildPagePing, buildPageView, buildSelfDescribingEvent, buildStructEvent, buildEcommerceTransaction, newTracker } from '@snowplow/node-tracker';
import { startHarness, type CollectorHarness } from './collector-harness.ts';

let h: CollectorHarness;
const webPageId = '5b0f7f2c-7a4e-4a51-9d6a-3c7c1c0d9e01';
const sessionId = '7d3e1d9a-2b5c-4f0e-8a11-0c2f3b4a5d6e';

before(async () => { h = await startHarness(); });
after(async () => { await h?.close(); });

test('page views, pings, struct, self-describing and transaction events land in their columns', async () => {
  const url = new URL(h.collector.url);
  const failures: unknown[] = [];
  const t = newTracker({ namespace: 'srv-ns', appId: 'node-app', encodeBase64: true }, {
    endpoint: url.hostname, port: Number(url.port), protocol: 'http', bufferSize: 3,
    onRequestFailure: (f) => { failures.push(f); },
  });
  t.setUserId('user-42');
  t.setSessionId(sessionId);
  t.setSessionIndex(4);
  t.setIpAddress('8.8.8.8');
  t.setUseragent('Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1');
  t.setScreenResolution('390', '844');
  const webPage = { schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: webPageId } };
  const custom = { schema: 'iglu:com.acme/customer/jsonschema/1-0-0', data: { tier: 'gold' } };
  t.track(buildPageView({ pageUrl: 'https://shop.example/shoes?utm_source=newsletter&utm_campaign=spring', pageTitle: 'Shoes', referrer: 'https://www.bing.com/search?q=red+shoes' }), [webPage, custom], 1_700_000_000_000);
  t.track(buildPagePing({ pageUrl: 'https://shop.example/shoes', minXOffset: 0, maxXOffset: 10, minYOffset: 100, maxYOffset: 900 }), [webPage]);
  t.track(buildStructEvent({ category: 'video', action: 'play', label: 'intro', property: 'hero', value: 2.5 }), [webPage]);
  t.track(buildSelfDescribingEvent({ event: { schema: 'iglu:com.acme/signup/jsonschema/1-0-2', data: { plan: 'pro', seats: 3 } } }), [custom]);
  t.track(buildEcommerceTransaction({ orderId: 'o-1', total: 99.99, tax: 8.5, shipping: 4, currency: 'EUR', affiliation: 'web', city: 'Berlin', country: 'DE', state: 'BE' }));
  await t.flush();
  assert.deepEqual(failures, []);

  type Row = Record<string, string | number | boolean | null>;
  const rows = await h.events<Row>(`SELECT event, event_name, event_vendor, event_version, app_id, platform, name_tracker, v_tracker, user_id,
    domain_sessionid, domain_sessionidx, user_ipaddress, geo_country, page_url, page_title, page_urlhost, page_urlpath, page_urlquery,
    refr_medium, refr_source, refr_term, mkt_source, mkt_campaign, pp_yoffset_max, se_category, se_action, se_label, se_property, se_value,
    unstruct_event, contexts, web_page_id, tr_orderid, tr_total::VARCHAR AS tr_total, tr_currency, os_family, dvce_type, dvce_ismobile,
    dvce_screenwidth, is_bot, strftime(dvce_created_tstamp, '%Y-%m-%dT%H:%M:%S') AS dvce_created, collector_tstamp IS NOT NULL AS has_ctstamp,
    derived_tstamp IS NOT NULL AS has_dtstamp, length(event_fingerprint)::INTEGER AS fp_len, dt FROM events ORDER BY dvce_created_tstamp, event`);
  assert.equal(rows.length, 5);
  const by = (e: string) => rows.find((r) => r.event === e)!;

  const pv = by('page_view');
  assert.equal(pv.app_id, 'node-app');
  assert.equal(pv.platform, 'srv');
  assert.equal(pv.name_tracker, 'srv-ns');
  assert.match(String(pv.v_tracker), /^node-/);
  assert.equal(pv.user_id, 'user-42');
  assert.equal(pv.domain_sessionid, sessionId);
  assert.equal(pv.domain_sessionidx, 4);
  assert.equal(pv.user_ipaddress, '8.8.8.x', 'stored with the last octet anonymised (the default)');
  assert.equal(pv.geo_country, 'US', 'geo looked up from the full address before it was cut');
  assert.equal(pv.page_title, 'Shoes');
  assert.equal(pv.page_urlhost, 'shop.example');
  assert.equal(pv.page_urlpath, '/shoes');
  assert.equal(pv.refr_medium, 'search');
  assert.equal(pv.refr_source, 'Bing');
  assert.equal(pv.refr_term, 'red shoes');
  assert.equal(pv.mkt_source, 'newsletter');
  assert.equal(pv.mkt_campaign, 'spring');
  assert.equal(pv.web_page_id, webPageId);
  assert.equal(pv.dvce_created, '2023-11-14T22:13:20');
  assert.equal(pv.os_family, 'iOS');
  assert.equal(pv.dvce_type, 'Mobile');
  assert.equal(pv.dvce_ismobile, true);
  assert.equal(pv.dvce_screenwidth, 390);
  assert.equal(pv.is_bot, false);
  assert.equal(pv.fp_len, 32);
  assert.ok(pv.has_ctstamp && pv.has_dtstamp);
  const ctx = JSON.parse(String(pv.contexts));
  assert.deepEqual(ctx.data.map((c: { schema: string }) => c.schema), [webPage.schema, custom.schema]);

  assert.equal(by('page_ping').pp_yoffset_max, 900);
  assert.equal(by('page_ping').web_page_id, webPageId);

  const se = by('struct');
  assert.deepEqual([se.se_category, se.se_action, se.se_label, se.se_property, se.se_value], ['video', 'play', 'intro', 'hero', 2.5]);
  assert.equal(se.event_vendor, 'com.google.analytics');

  const ue = by('unstruct');
  assert.equal(ue.event_vendor, 'com.acme');
  assert.equal(ue.event_name, 'signup');
  assert.equal(ue.event_version, '1-0-2');
  assert.deepEqual(JSON.parse(String(ue.unstruct_event)).data, { schema: 'iglu:com.acme/signup/jsonschema/1-0-2', data: { plan: 'pro', seats: 3 } });

  const tr = by('transaction');
  assert.equal(tr.tr_orderid, 'o-1');
  assert.equal(tr.tr_total, '99.99');
  assert.equal(tr.tr_currency, 'EUR');
  assert.match(String(tr.dt), /^\d{4}-\d{2}-\d{2}$/);
});

test('a retried send of the same events is stored once (event_id dedupe)', async () => {
  const body = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
    data: [{ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: 'c0ffee00-0000-4000-8000-000000000001', url: 'https://dup.example/' }] });
  for (let i = 0; i < 2; i++) {
    const res = await fetch(`${h.collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    assert.equal(res.status, 200);
    await h.collector.store.flush();
  }
  const rows = await h.events<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM events WHERE event_id = 'c0ffee00-0000-4000-8000-000000000001'`);
  assert.equal(rows[0].n, 1);
});
