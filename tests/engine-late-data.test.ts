// Late and out-of-order events on PrestoDB and Trino: an event for a past day (collector_tstamp
// is the collector's clock, so a past day arrives through `webcube import`, a spool replayed
// after an outage or a loader lagging past midnight) lands in that day's dt= folder, and the
// API's driver sees it with no hand step: a new file in a partition the table already has is
// read by the next query, and a new old partition is added by the driver's background
// partition sync. Truth is what was written, counted per day from the sent timestamps.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, loadStorageConfig, type EventStore } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { importEvents } from '../collector/src/import/import-events.ts';
import { createDriver } from '../server/src/drivers/create-driver.ts';
import { loadDriverConfig } from '../server/src/drivers/driver-config.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { ENGINE_NAMES, testEngine, uniqueSchema, type TestEngine } from './engines.ts';

const DAY = 86_400_000;
const today = Date.UTC(2026, 2, 10, 9);
const env = (root: string) => ({ WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none' });
const dtOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

function perDay(times: readonly number[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of times) out[dtOf(t)] = (out[dtOf(t)] ?? 0) + 1;
  return out;
}

async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, attempts = 60): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 500));
    value = await read();
  }
  return value;
}

for (const name of ENGINE_NAMES) {
  describe(`late and out-of-order events on ${name}`, () => {
    let root: string;
    let engine: TestEngine;
    let schema: string;
    let driver: Driver;
    let store: EventStore;
    const sent: number[] = [];

    const write = async (times: readonly number[]) => {
      await store.append(times.map((t) => makeEvent(t)), []);
      await store.flush();
      sent.push(...times);
    };
    const seen = async (): Promise<Record<string, number>> => {
      const rows = await driver.query(`SELECT dt, COUNT(*) AS n, COUNT(DISTINCT event_id) AS d FROM hive.${schema}.events GROUP BY dt`, []);
      for (const r of rows) assert.equal(Number(r.n), Number(r.d), `an event of ${String(r.dt)} was read twice`);
      return Object.fromEntries(rows.map((r) => [String(r.dt), Number(r.n)]).sort());
    };
    const truth = () => Object.fromEntries(Object.entries(perDay(sent)).sort());

    before(async () => {
      root = await mkdtemp(join(tmpdir(), 'webcube-late-'));
      engine = await testEngine(name);
      schema = uniqueSchema('late');
      store = await openEventStore(loadStorageConfig(env(root)));
      await write(Array.from({ length: 30 }, (_, i) => today + i * 1000));
      await engine.registerEvents(root, schema);
      const config = loadDriverConfig({ ...engine.settings('hive', schema), WEBCUBE_EVENTS_TABLE: `hive.${schema}.events`, WEBCUBE_PARTITION_SYNC_INTERVAL: '1s' });
      driver = await createDriver(config.type, config);
      const first = await poll(seen, (v) => JSON.stringify(v) === JSON.stringify(truth()));
      assert.deepEqual(first, truth());
    });
    after(async () => {
      await driver?.close();
      await engine?.run(`DROP TABLE IF EXISTS hive.${schema}.events`).catch(() => undefined);
      await store?.close();
      await rm(root, { recursive: true, force: true });
    });

    test('an event for a day the table already has is read by the next query', async () => {
      // A loader lagging past midnight: more events of the same day, a new file in its folder.
      await write([today + 3_600_000, today + 3_600_001, today - 8 * 3_600_000]);
      assert.deepEqual(await seen(), truth());
    });

    test('a spool replayed after an outage adds a past day the table never had', async () => {
      await write([today - 2 * DAY, today - 2 * DAY + 5, today - 1 * DAY + 7]);
      const after = await poll(seen, (v) => JSON.stringify(v) === JSON.stringify(truth()));
      assert.deepEqual(after, truth());
    });

    test('`webcube import` of history, older than every day on disk, out of order, is seen without a hand step', async () => {
      const history = Array.from({ length: 120 }, (_, i) => today - 40 * DAY + ((i * 7919) % 120) * 6 * 3_600_000);
      const r = await importEvents(history.map((t) => makeEvent(t)), loadStorageConfig(env(root)), { batchSize: 50 });
      assert.equal(r.written, history.length);
      sent.push(...history);
      const after = await poll(seen, (v) => JSON.stringify(v) === JSON.stringify(truth()));
      assert.deepEqual(after, truth());
      assert.ok(Object.keys(truth()).length > 20, 'history spans many days');
    });
  });
}
