// Data chunks built from events against the NDJSON path they replace: the same events give the same
// typed rows, for every column type, odd values (text for numbers, out of range, non-ASCII, repeated
// long strings) and more rows than one data chunk holds.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBDataChunk, DuckDBInstance } from '@duckdb/node-api';
import type { AtomicEvent } from '../atomic/columns.ts';
import { columnDefs, columnList, readSpoolSql, typedSelectList } from './atomic-sql.ts';
import { AtomicChunkBuilder, atomicDuckTypes, CHUNK_ROWS } from './atomic-chunk.ts';
import { serialize } from './serialize.ts';
import { makeEvent } from './test-events.ts';

const base = Date.UTC(2026, 2, 4, 10, 0, 0);

function events(): AtomicEvent[] {
  const out: AtomicEvent[] = [];
  for (let i = 0; i < 5000; i++) {
    out.push(makeEvent(base + i, {
      page_url: `https://example.com/page/${i % 7}?utm_source=news`,
      useragent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      page_title: i % 3 === 0 ? 'Ünïcödé tïtle' : i % 3 === 1 ? 'short' : 'exactly12chr',
      se_value: i / 4, pp_yoffset_max: i, domain_sessionidx: i % 300, dvce_ismobile: i % 2 === 0,
      tr_total: i % 5 === 0 ? null : (i * 1.005).toFixed(3),
    }));
  }
  out.push(makeEvent(base, {
    page_urlport: '8080', geo_latitude: '52.5', br_cookies: 'false', domain_sessionidx: 40000, doc_width: 2 ** 40,
    tr_total: 12.505, tr_tax: '-0.015', ti_price: 'abc', dvce_created_tstamp: '2026-03-04 09:59:59.5', se_value: 'n/a',
    app_id: 42, dvce_sent_tstamp: 'not a time', ti_quantity: 3.6, br_colordepth: 24, contexts: '{"a":"\u0000\ud83d\ude00"}',
  }));
  out.push(makeEvent(base, { user_id: '', page_title: 'x'.repeat(13), unknown_key: 'ignored' }));
  return out;
}

test('chunks built from events hold the same typed rows as the NDJSON reader makes', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-appender-'));
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    const all = events();
    const ndjson = join(dir, 'events.ndjson');
    await writeFile(ndjson, serialize(all, []));
    await conn.run(`CREATE TABLE via_json AS SELECT ${typedSelectList(base)} FROM ${readSpoolSql([ndjson])}`);
    await conn.run(`CREATE TABLE via_appender (${columnDefs})`);
    const appender = await conn.createAppender('via_appender');
    const builder = new AtomicChunkBuilder();
    const flush = () => {
      const chunk = DuckDBDataChunk.create(atomicDuckTypes);
      builder.writeTo(chunk);
      appender.appendDataChunk(chunk);
    };
    for (const e of all) {
      builder.add(e);
      if (builder.rowCount === CHUNK_ROWS) flush();
    }
    flush();
    appender.closeSync();
    const count = async (sql: string) => Number((await conn.runAndReadAll(sql)).getRows()[0]![0]);
    assert.equal(await count('SELECT count(*) FROM via_appender'), all.length);
    // load_tstamp is stamped by the NDJSON path's writer; the chunks' writer passes it as a default.
    const cols = columnList.replace(', "load_tstamp"', '');
    const differing = await count(`SELECT count(*) FROM (
      (SELECT ${cols} FROM via_json EXCEPT ALL SELECT ${cols} FROM via_appender)
      UNION ALL (SELECT ${cols} FROM via_appender EXCEPT ALL SELECT ${cols} FROM via_json))`);
    assert.equal(differing, 0);
    const odd = (await conn.runAndReadAll(`SELECT page_urlport, geo_latitude, br_cookies, doc_width, tr_total::VARCHAR, tr_tax::VARCHAR,
      ti_price, se_value, app_id, dvce_sent_tstamp, ti_quantity FROM via_appender WHERE page_urlport = 8080`)).getRowsJson();
    assert.deepEqual(odd, [[8080, 52.5, false, null, '12.51', '-0.02', null, null, '42', null, 4]]);
  } finally {
    conn.closeSync(); db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
});

test('truncate drops the rows of a record that failed halfway: the chunk holds the others, unchanged', async () => {
  const db = await DuckDBInstance.create(':memory:', { threads: '1' });
  const conn = await db.connect();
  try {
    await conn.run(`CREATE TABLE t (${columnDefs})`);
    const appender = await conn.createAppender('t');
    const builder = new AtomicChunkBuilder();
    const long = 'https://example.com/a/long/page/url/that/is/not/inlined';
    const kept = [makeEvent(base, { page_url: long, user_id: 'a' }), makeEvent(base + 1, { page_url: long })];
    for (const e of kept) builder.add(e);
    builder.add(makeEvent(base + 2, { page_url: `${long}/dropped`, user_id: 'dropped', se_value: 1 }));
    builder.add(makeEvent(base + 3, { page_url: long, geo_latitude: 1 }));
    builder.truncate(2);
    assert.equal(builder.rowCount, 2);
    const last = makeEvent(base + 4, { page_url: long });
    builder.add(last);
    const chunk = DuckDBDataChunk.create(atomicDuckTypes);
    builder.writeTo(chunk);
    appender.appendDataChunk(chunk);
    appender.closeSync();
    const rows = (await conn.runAndReadAll('SELECT event_id, page_url, user_id, se_value FROM t ORDER BY collector_tstamp')).getRowsJson();
    assert.deepEqual(rows, [...kept, last].map((e) => [e.event_id, long, e.user_id ?? null, null]));
  } finally {
    conn.closeSync(); db.closeSync();
  }
});
