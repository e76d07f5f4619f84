// The collector's files on PrestoDB and Trino: events sent with the official node tracker land
// as Parquet, the engines read them through the Hive table `webcube stack` registers, a new dt=
// folder becomes visible through the API's driver without a hand step, and every timestamp
// reads back exactly as DuckDB reads it, whatever the JVM's zone (tests/engines.ts runs the
// JVMs in America/Sao_Paulo) and the session's.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { startHarness, type CollectorHarness } from './collector-harness.ts';
import { SENT, SENT_TIMES, sendTimestampEvents } from './timestamp-events.ts';
import { ENGINE_NAMES, testEngine, uniqueSchema, type TestEngine } from './engines.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { createDriver } from '../server/src/drivers/create-driver.ts';
import { loadDriverConfig } from '../server/src/drivers/driver-config.ts';


async function poll<T>(read: () => Promise<T>, done: (v: T) => boolean, attempts = 60): Promise<T> {
  let value = await read();
  for (let i = 0; i < attempts && !done(value); i++) {
    await new Promise((r) => setTimeout(r, 500));
    value = await read();
  }
  return value;
}

for (const name of ENGINE_NAMES) {
  describe(`collector files on ${name}`, () => {
    let h: CollectorHarness;
    let engine: TestEngine;
    let schema: string;
    let driver: Driver;

    before(async () => {
      [h, engine] = await Promise.all([startHarness(), testEngine(name)]);
      schema = uniqueSchema('events');
      // Registered while the data folder is still empty: every day arrives later.
      await engine.registerEvents(h.dir, schema);
      const config = loadDriverConfig({ ...engine.settings('hive', schema), WEBCUBE_EVENTS_TABLE: `hive.${schema}.events`, WEBCUBE_PARTITION_SYNC_INTERVAL: '1s' });
      driver = await createDriver(config.type, config);
      await sendTimestampEvents(h, 'engine-site');
    });
    after(async () => {
      await driver?.close();
      await engine?.run(`DROP TABLE IF EXISTS hive.${schema}.events`).catch(() => undefined);
      await h?.close();
    });

    test('new dt= folders become partitions while the API runs, with no hand step', async () => {
      const rows = await poll(() => driver.query(`SELECT COUNT(*) AS n, COUNT(DISTINCT dt) AS days FROM hive.${schema}.events`, []), (r) => Number(r[0].n) === SENT.length + 1);
      const duck = await h.events<{ n: number; days: number }>('SELECT COUNT(*)::INTEGER AS n, COUNT(DISTINCT dt)::INTEGER AS days FROM events');
      assert.deepEqual(rows.map((r) => ({ n: Number(r.n), days: Number(r.days) })), duck);
    });

    test('timestamps read back as written, whatever the JVM and session time zones', async () => {
      const duck = await h.events<Record<string, string>>(`SELECT event_id, strftime(dvce_created_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS created,
        strftime(collector_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS collected, strftime(derived_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS derived,
        dt FROM events ORDER BY event_id`);
      assert.deepEqual(duck.filter((r) => r.created !== null).map((r) => r.created).sort(), [...SENT_TIMES].sort());
      for (const timezone of ['UTC', 'Asia/Kolkata', 'America/Los_Angeles']) {
        const rows = await engine.run(`SELECT event_id, CAST(dvce_created_tstamp AS varchar), CAST(collector_tstamp AS varchar),
          CAST(derived_tstamp AS varchar), dt FROM hive.${schema}.events ORDER BY event_id`, { timezone });
        const asDuck = rows.map(([event_id, created, collected, derived, dt]) => ({ event_id, created, collected, derived, dt }));
        assert.deepEqual(asDuck, duck, `${name} with session zone ${timezone}`);
      }
      // Through the API's driver too: Cube's client receives the same wall times.
      const viaDriver = await driver.query(`SELECT event_id, dvce_created_tstamp AS created FROM hive.${schema}.events ORDER BY event_id`, []);
      assert.deepEqual(viaDriver.map((r) => r.created), duck.map((r) => r.created.replace(' ', 'T')));
    });
  });
}
