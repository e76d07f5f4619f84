// The worker's segment → Parquet step on real DuckDB: every good event once, across more data
// chunks than one (a request's events begun in a chunk only when all fit), older-format lines, bad
// rows apart, an unreadable record kept as a bad row, a torn last line ignored, and no Parquet file
// for a segment without good events. And the rows it writes straight from the row builder equal
// those of the object path read back through the NDJSON reader, on varied events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeRawRecord } from '../protocol/raw-record.ts';
import { createEnrichContext } from '../process-event.ts';
import { atomicColumns, type AtomicEvent } from '../atomic/columns.ts';
import { quoteIdent, readSpoolSql, typedSelectList } from './atomic-sql.ts';
import { enrichSegment } from './enrich-segment.ts';
import { segmentToParquet } from './segment-to-parquet.ts';
import { serialize } from './serialize.ts';
import { makeEvent } from './test-events.ts';

const ctx = createEnrichContext({ geoip: 'off' });
const t = Date.UTC(2026, 4, 6, 12, 0, 0);
const eid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const request = (first: number, count: number) => encodeRawRecord({ t, src: 'tp2', ua: 'Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0' },
  JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
    data: Array.from({ length: count }, (_, i) => ({ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: eid(first + i), url: `https://a.example/p${i}` })) }));

test('a segment becomes one Parquet file of its good events and a file of its bad rows', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-seg2pq-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    let lines = '';
    for (let r = 0; r < 100; r++) lines += request(r * 30, 30);
    lines += encodeRawRecord({ t, src: 'tp2' }, JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4',
      data: [{ e: 'pv', p: 'web', tv: 'js-4.10.1', eid: 'not-a-uuid' }] }));
    lines += serialize([makeEvent(t + 1, { event_id: eid(999_999) })], [{ raw: '{}', reason: 'copied', time: t }]);
    // An acked body the request path's check let through but JSON.parse refuses: kept, not dropped.
    lines += `{"wc_raw":1,"m":{"t":${t},"src":"tp2"},"body":{"data":[tru]}}\n`;
    lines += '{"wc_raw":1,"m":{"t":1';
    await writeFile(join(dir, 'seg'), lines);
    const r = await segmentToParquet(conn, join(dir, 'seg'), join(dir, 'out'), ctx, t + 5000);
    assert.equal(r.accepted, 3000);
    assert.equal(r.bad, 2);
    assert.equal(r.dt, '2026-05-06');
    assert.ok(r.parquet && r.badRows);
    const [rows, ids, pages, minT, loaded] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT event_id), count(DISTINCT page_url),
      min(collector_tstamp)::VARCHAR, min(load_tstamp)::VARCHAR FROM read_parquet('${r.parquet}')`)).getRowsJson()[0]!;
    assert.deepEqual([rows, ids, pages], ['3001', '3001', '31']);
    assert.equal(minT, '2026-05-06 12:00:00');
    assert.equal(loaded, '2026-05-06 12:00:05');
    const reasons = (await readFile(r.badRows, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { bad: { reason: string } }).bad.reason);
    assert.equal(reasons.length, 3);
    assert.ok(reasons.includes('copied'));
    assert.ok(reasons.some((reason) => reason.startsWith('spool: unreadable raw record')), 'the torn last line is not a bad row; the unreadable one is');

    await writeFile(join(dir, 'seg2'), serialize([], [{ raw: '{}', reason: 'only bad', time: t }]));
    const empty = await segmentToParquet(conn, join(dir, 'seg2'), join(dir, 'out2'), ctx, t);
    assert.equal(empty.parquet, undefined);
    assert.equal(existsSync(join(dir, 'out2.parquet')), false);
    assert.ok(empty.badRows);
  } finally {
    conn.closeSync(); db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
});

const PAYLOAD = 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** Requests of varied events: every event type, shared and differing values between neighbours,
 *  values to cut, ua/ip parameters of their own, bad events, and one request bigger than a chunk. */
function variedSegment(): string {
  const uas = ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
    'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'curl/8.0'];
  const ctxs = b64({ schema: 'iglu:com.snowplowanalytics.snowplow/contexts/jsonschema/1-0-0',
    data: [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: '11111111-2222-4333-8444-555555555555' } }] });
  const ue = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/unstruct_event/jsonschema/1-0-0',
    data: { schema: 'iglu:com.acme/signup/jsonschema/1-0-0', data: { plan: 'pro' } } });
  let lines = '';
  let n = 0;
  for (let r = 0; r < 60; r++) {
    const count = r === 30 ? 2100 : 1 + (r * 7) % 25;
    const data = Array.from({ length: count }, (_, i) => {
      n += 1;
      const e = ['pv', 'pp', 'se', 'ue', 'tr', 'ti'][(r + i) % 6]!;
      const event: Record<string, string> = { e, p: i % 9 === 0 ? 'mob' : 'web', tv: 'js-4.10.1', aid: i % 4 === 0 ? 'shop' : 'blog', eid: eid(n),
        url: `https://shop.example/p/${i % 3}?utm_source=news&utm_medium=email&gclid=x${r}`, refr: i % 2 ? 'https://www.google.com/search?q=shoes' : '',
        duid: 'd0d0d0d0-0000-4000-8000-000000000001', sid: 'e0e0e0e0-0000-4000-8000-00000000000' + (i % 3), vid: String(1 + (i % 3)),
        dtm: String(t - 1000 + i), stm: String(t), res: '1920x1080', lang: 'en-US', cookie: '1', cs: 'UTF-8', page: i % 5 ? 'Shop' : 'Ünïcödé',
        pp_mix: '0', pp_may: String(i * 10) };
      if (e === 'se') Object.assign(event, { se_ca: 'video', se_ac: 'play', se_va: i % 2 ? '1.5' : '-2' });
      if (e === 'ue') Object.assign(event, i % 2 ? { ue_pr: ue } : { ue_px: b64(JSON.parse(ue)) });
      if (e === 'tr') Object.assign(event, { tr_id: `o${i}`, tr_tt: '12.505', tr_cu: 'EUR' });
      if (e === 'ti') Object.assign(event, { ti_id: `o${i}`, ti_sk: 'sku', ti_pr: i % 40 ? '9.99' : 'abc', ti_qu: '2' });
      if (i % 4 === 1) event.cx = ctxs;
      if (i % 11 === 3) event.ua = uas[i % 3]!;
      if (i % 13 === 5) event.ip = '81.2.69.160';
      if (i % 17 === 7) event.page = 'x'.repeat(2500);
      if (i % 19 === 9) event.eid = 'not-a-uuid';
      return event;
    });
    lines += encodeRawRecord({ t: t + r, src: 'tp2', ip: '8.8.8.8', ua: uas[r % 3], nuid: 'c0c0c0c0-0000-4000-8000-000000000001',
      ...(r % 10 === 0 ? { refr: 'https://news.example/' } : {}) }, JSON.stringify({ schema: PAYLOAD, data }));
  }
  return lines;
}

test('events written straight from the row builder equal the object path read through the NDJSON reader', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-seg2pq-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    await writeFile(join(dir, 'seg'), variedSegment());
    const r = await segmentToParquet(conn, join(dir, 'seg'), join(dir, 'out'), ctx, t + 5000);
    const objects: AtomicEvent[] = [];
    enrichSegment(join(dir, 'seg'), { good: (e) => objects.push(e), bad: () => undefined }, ctx);
    assert.equal(r.accepted, objects.length);
    assert.ok(r.bad > 0 && objects.length > 2700, `${r.bad} bad, ${objects.length} good`);
    assert.ok(objects.some((e) => typeof e.etl_tags === 'string'), 'some values were cut');
    await writeFile(join(dir, 'objects.ndjson'), serialize(objects, []));
    await conn.run(`CREATE TABLE via_objects AS SELECT ${typedSelectList(t + 5000)} FROM ${readSpoolSql([join(dir, 'objects.ndjson')])}`);
    // etl_tstamp is each run's clock.
    const cols = atomicColumns.filter((c) => c.name !== 'etl_tstamp').map((c) => quoteIdent(c.name)).join(', ');
    const differing = (await conn.runAndReadAll(`SELECT count(*) FROM (
      (SELECT ${cols} FROM via_objects EXCEPT ALL SELECT ${cols} FROM read_parquet('${r.parquet}'))
      UNION ALL (SELECT ${cols} FROM read_parquet('${r.parquet}') EXCEPT ALL SELECT ${cols} FROM via_objects))`)).getRowsJson()[0]![0];
    assert.equal(differing, '0');
  } finally {
    conn.closeSync(); db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
});

test('an older-format line with a value no column takes becomes a bad row; the segment is written', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-seg2pq-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    // Hand-written (no collector writes objects as values): String() of it throws.
    const odd = `{"event_id":"${eid(500)}","collector_tstamp":${t},"page_url":{"toString":1}}\n`;
    await writeFile(join(dir, 'seg'), request(1, 2) + odd + serialize([makeEvent(t, { event_id: eid(501) })], []) + request(3, 1));
    const r = await segmentToParquet(conn, join(dir, 'seg'), join(dir, 'out'), ctx, t);
    const ids = (await conn.runAndReadAll(`SELECT event_id FROM read_parquet('${r.parquet}') ORDER BY 1`)).getRowsJson().map((row) => row[0]);
    assert.deepEqual(ids, [eid(1), eid(2), eid(3), eid(501)]);
    const bad = (await readFile(r.badRows!, 'utf8')).trim().split('\n').map((l) => (JSON.parse(l) as { bad: { raw: string; reason: string } }).bad);
    assert.equal(bad.length, 1);
    assert.match(bad[0]!.reason, /^enrichment_failure: /);
    assert.match(bad[0]!.raw, new RegExp(eid(500)));
  } finally {
    conn.closeSync(); db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
});
