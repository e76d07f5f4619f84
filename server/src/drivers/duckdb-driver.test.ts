// DuckDB driver on a temp data dir: atomic.events before and after Parquet files appear, value convention, time-out and abort.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { atomicColumns } from './atomic-columns.ts';
import { DuckDbDriver } from './duckdb-driver.ts';
import { QueryCancelled } from './types.ts';

let dir: string;
let driver: DuckDbDriver;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'qm-duck-'));
  driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 2, queryTimeoutMs: 60_000, defineEvents: true });
});
after(async () => { await driver.close(); await rm(dir, { recursive: true, force: true }); });

test('atomic.events exists before any file, with the canonical columns and dt', async () => {
  const cols = await driver.query("SELECT column_name FROM information_schema.columns WHERE table_schema = 'atomic' AND table_name = 'events' ORDER BY ordinal_position", []);
  assert.deepEqual(cols.map((c) => c.column_name), [...atomicColumns.map((c) => c.name), 'dt']);
  assert.deepEqual(await driver.query('SELECT count(*) AS n FROM atomic.events', []), [{ n: '0' }]);
});

test('atomic.events switches to the Parquet files once they appear, partitions included', async () => {
  const part = join(dir, 'events', 'dt=2024-05-01');
  await mkdir(part, { recursive: true });
  await driver.query(`COPY (SELECT 'site' AS app_id, TIMESTAMP '2024-05-01 10:11:12.345' AS collector_tstamp, 'page_view' AS event, 'e1' AS event_id
    UNION ALL SELECT 'site', TIMESTAMP '2024-05-01 11:00:00', 'page_ping', 'e2') TO '${join(part, 'part-1.parquet')}' (FORMAT parquet, COMPRESSION zstd)`, []);
  await driver.refreshEventsView();
  const rows = await driver.query('SELECT event_id, collector_tstamp, dt, count(*) OVER () AS n FROM atomic.events WHERE app_id = $1 ORDER BY event_id', ['site']);
  assert.deepEqual(rows, [
    { event_id: 'e1', collector_tstamp: '2024-05-01T10:11:12.345', dt: '2024-05-01T00:00:00.000', n: '2' },
    { event_id: 'e2', collector_tstamp: '2024-05-01T11:00:00.000', dt: '2024-05-01T00:00:00.000', n: '2' },
  ]);
});

test('values follow the driver convention: big integers and decimals as strings', async () => {
  const [row] = await driver.query('SELECT 12345678901234::BIGINT AS big, 2.50::DECIMAL(18,2) AS dec, 1.5::DOUBLE AS dbl, 7::INTEGER AS i, NULL AS nothing, $1 AS p, $2 AS b', ['x', true]);
  assert.deepEqual(row, { big: '12345678901234', dec: '2.5', dbl: 1.5, i: 7, nothing: null, p: 'x', b: true });
});

test('a query past its time-out is interrupted and reported as cancelled', async () => {
  await assert.rejects(driver.query('SELECT count(*) FROM range(100000000000) a', [], { timeoutMs: 50 }), QueryCancelled);
  // The connection is usable afterwards.
  assert.deepEqual(await driver.query('SELECT 1 AS one', []), [{ one: 1 }]);
});

test('an aborted signal cancels the query', async () => {
  const ac = new AbortController();
  const running = driver.query('SELECT count(*) FROM range(100000000000) a', [], { signal: ac.signal });
  setImmediate(() => ac.abort());
  await assert.rejects(running, /Query cancelled/);
});

test('files with different column sets are read together: missing columns are NULL, canonical ones always exist', async () => {
  const local = await mkdtemp(join(tmpdir(), 'qm-duck-cols-'));
  const d = await DuckDbDriver.create({ type: 'duckdb', dataDir: local, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
  try {
    for (const day of ['2024-05-01', '2024-05-02']) await mkdir(join(local, 'events', `dt=${day}`), { recursive: true });
    await d.query(`COPY (SELECT 'a' AS event_id, 'site' AS app_id) TO '${join(local, 'events', 'dt=2024-05-01', 'part-1.parquet')}' (FORMAT parquet)`, []);
    await d.query(`COPY (SELECT 'page_view' AS event, 'b' AS event_id, 'site' AS app_id) TO '${join(local, 'events', 'dt=2024-05-02', 'part-2.parquet')}' (FORMAT parquet)`, []);
    const rows = await d.query('SELECT event_id, event, geo_country, CAST(dt AS VARCHAR) AS day FROM atomic.events ORDER BY event_id', []);
    assert.deepEqual(rows, [
      { event_id: 'a', event: null, geo_country: null, day: '2024-05-01' },
      { event_id: 'b', event: 'page_view', geo_country: null, day: '2024-05-02' },
    ]);
    // A third file with the first one's columns joins its group; the view follows the new listing.
    await d.query(`COPY (SELECT 'c' AS event_id, 'site' AS app_id) TO '${join(local, 'events', 'dt=2024-05-02', 'part-3.parquet')}' (FORMAT parquet)`, []);
    assert.deepEqual(await d.query("SELECT count(*) AS n, count(event) AS with_event FROM atomic.events WHERE CAST(dt AS VARCHAR) = '2024-05-02'", []), [{ n: '2', with_event: '1' }]);
  } finally {
    await d.close();
    await rm(local, { recursive: true, force: true });
  }
});
