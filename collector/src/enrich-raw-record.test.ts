// The events of a request share its user agent, address and headers, worked out once per request:
// each event must still get the row it would get on its own.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { enrichRawRecord, rawRecordMeta } from './enrich-raw-record.ts';
import { createEnrichContext, processTrackerEvent } from './process-event.ts';
import type { RawRecord, RawRequestMeta } from './protocol/raw-record.ts';

const ctx = createEnrichContext({ geoip: 'geoip-lite', anonOctets: 1, anonSegments: 2 });
const chrome = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/121.0.0.0 Safari/537.36';
const base = { e: 'pv', p: 'web', tv: 'js-4.10.1', url: 'https://shop.example/a', refr: 'https://www.google.com/search?q=shoes' };
const events: Record<string, string>[] = [
  base,
  { ...base, ua: 'Googlebot/2.1 (+http://www.google.com/bot.html)' },
  { ...base, ip: '1.1.1.1, 10.0.0.1' },
  { ...base, e: 'pp', pp_mix: '0', pp_max: '10', pp_miy: '0', pp_may: '300' },
  { ...base, p: 'srv' },
  { ...base, url: 'https://shop.example/b?utm_source=news&gclid=g1#top', refr: 'https://shop.example/a' },
  { ...base, url: '' },
  { ...base, cx: Buffer.from(JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0',
    data: [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: 'w-1' } }] })).toString('base64url') },
  { ...base, page: 'x'.repeat(3000) },
  { ...base, sid: 'not-a-uuid' },
];

/** As stored: JSON drops undefined; etl_tstamp is the time of enrichment. */
const stored = (row: object | undefined) => ({ ...JSON.parse(JSON.stringify(row)), etl_tstamp: 0 });

function check(m: RawRequestMeta): void {
  const record: RawRecord = { m, body: { schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data: structuredClone(events) } };
  const together = enrichRawRecord(record, ctx);
  const alone = events.map((params) => processTrackerEvent(structuredClone(params), rawRecordMeta(record), ctx));
  assert.deepEqual(together.good.map(stored), alone.filter((r) => r.event).map((r) => stored(r.event)));
  assert.deepEqual(together.bad, alone.filter((r) => r.bad).map((r) => r.bad));
}

test('per-request work: own ua/ip parameters, other platforms and URLs get the rows they would get alone', () => {
  check({ t: 1_700_000_000_000, src: 'tp2', ip: '8.8.8.8', ua: chrome, nuid: 'n-1', refr: 'https://shop.example/from-header' });
  check({ t: 1_700_000_000_000, src: 'tp2', ua: chrome, anon: '*' });
  check({ t: 1_700_000_000_000, src: 'tp2' });
});

test('the request-wide columns apply, and an own ua parameter is judged for bots', () => {
  const record: RawRecord = { m: { t: 1, src: 'tp2', ip: '8.8.8.8', ua: chrome }, body: { data: structuredClone(events.slice(0, 3)) } };
  const [plain, bot, ownIp] = enrichRawRecord(record, ctx).good;
  assert.equal(plain.br_family, 'Chrome');
  assert.equal(plain.is_bot, false);
  assert.equal(plain.user_ipaddress, '8.8.8.x');
  assert.equal(bot.is_bot, true);
  assert.equal(bot.useragent, events[1].ua);
  assert.equal(bot.user_ipaddress, '8.8.8.x');
  assert.equal(ownIp.user_ipaddress, '1.1.1.x');
  assert.equal(ownIp.br_family, 'Chrome');
});
