// writeBatch's one-day path (no PARTITION_BY) against the partitioned one, on real DuckDB and files:
// the same keys, schema and rows, and a wrong day from the caller never puts a row in the wrong dt.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openWriterDb } from './event-store.ts';
import { DedupeIndex } from './dedupe-index.ts';
import { loadStorageConfig } from './storage-config.ts';
import { openSink } from '../sinks/open-sink.ts';
import { serialize } from './serialize.ts';
import { writeBatch } from './write-batch.ts';
import { makeEvent, queryParquet } from './test-events.ts';

const day1 = Date.UTC(2026, 0, 2, 23, 59, 59, 900);
const day2 = Date.UTC(2026, 0, 3, 0, 0, 0, 100);

async function write(events: ReturnType<typeof makeEvent>[], dt: string | undefined) {
  const root = await mkdtemp(join(tmpdir(), 'webcube-batch-'));
  const input = join(root, 'in.ndjson');
  await writeFile(input, serialize(events, []));
  const { db, conn } = await openWriterDb(join(root, 'dedupe.duckdb'), 1);
  const sink = await openSink(loadStorageConfig({ WEBCUBE_DATA_DIR: root }));
  try {
    const dedupe = await DedupeIndex.open(conn, { windowMs: 86_400_000, maxIds: 1000 });
    const r = await writeBatch(conn, sink, { ndjson: [input] }, { seed: 'seg-1', dedupe, withBadRows: false, nowMs: day2, ...(dt ? { dt } : {}) });
    const schema = (await conn.runAndReadAll(`SELECT name, type FROM parquet_schema('${join(root, r.files[0]!)}')`)).getRows();
    const rows = await queryParquet(root, (from) => `SELECT dt, event_id, epoch_ms(collector_tstamp) AS t, tr_total::VARCHAR AS m,
      domain_sessionidx, geo_latitude, br_cookies FROM ${from} ORDER BY event_id`);
    return { files: r.files, written: r.eventsWritten, schema, rows };
  } finally {
    conn.closeSync(); db.closeSync(); await sink.close();
    await rm(root, { recursive: true, force: true });
  }
}

test('a batch on one day written as one file equals the partitioned output: keys, schema, rows', async () => {
  const events = [makeEvent(day2), makeEvent(day2 + 1000, { tr_total: 3.5, domain_sessionidx: 7 }), makeEvent(day2 + 5)];
  const partitioned = await write(events, undefined);
  const oneDay = await write(events, '2026-01-03');
  assert.equal(oneDay.written, 3);
  assert.deepEqual(oneDay.files, partitioned.files, 'same seeded keys, so a replay by either path overwrites the other');
  assert.match(oneDay.files[0]!, /^events\/dt=2026-01-03\/part-20260103T000000100Z-/);
  assert.deepEqual(oneDay.schema, partitioned.schema);
  assert.deepEqual(oneDay.rows, partitioned.rows);
  assert.ok(!oneDay.schema.some(([name]) => name === '_dt'), 'the partition column is not a column of the file');
});

test('a wrong or mixed day from the caller falls back to partitioning', async () => {
  const events = [makeEvent(day1), makeEvent(day2)];
  for (const dt of ['2026-01-03', '2026-01-02', '2030-05-05']) {
    const r = await write(events, dt);
    assert.equal(r.files.length, 2, dt);
    assert.deepEqual(r.rows.map((row) => [row.dt, row.t]).sort(), [['2026-01-02', String(day1)], ['2026-01-03', String(day2)]], dt);
  }
});
