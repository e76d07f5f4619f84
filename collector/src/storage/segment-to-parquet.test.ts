// The worker's segment → Parquet step on real DuckDB: every good event once, across more data
// chunks than one (a request's events split between two), older-format lines, bad rows apart,
// an unreadable record kept as a bad row, a torn last line ignored, and no Parquet file for a segment without good events.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { encodeRawRecord } from '../protocol/raw-record.ts';
import { createEnrichContext } from '../process-event.ts';
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
