// PrestoDB and Trino while `webcube compact` merges a day (the engines list the partition's
// folder themselves, so only the generation swap of collector/src/compact/partition-swap.ts keeps
// them exact): a reader counts the day over and over while the day is compacted several times and
// late files arrive between and during the runs. Every count lies between the events flushed
// before the read began and those written by its end, with no event twice; with no write in
// flight both bounds meet, so the count is the truth. Truth is what the test wrote.
// Runs on the engines named in WEBCUBE_TEST_ENGINES (tests/run.mjs starts them) with the file
// metastore `webcube stack` gives them; skipped with the reason otherwise.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, loadStorageConfig, type EventStore } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { trackedWrites } from './tracked-writes.ts';
import { runCompaction } from '../collector/src/compact/compact-command.ts';
import { collectGarbage } from '../collector/src/compact/garbage.ts';
import { listVisibleEventFiles } from '../collector/src/compact/visible-parts.ts';
import { openSink } from '../collector/src/sinks/open-sink.ts';
import { readRunningEngine } from '../bin/stack/engine-process.ts';
import { ENGINE_NAMES, TEST_STACK_DIR, testEngine, uniqueSchema, type EngineName, type TestEngine } from './engines.ts';
import { DuckDBInstance } from '@duckdb/node-api';

const DT = '2026-01-05';
const day = Date.UTC(2026, 0, 5, 12);

const given = new Set((process.env.WEBCUBE_TEST_ENGINES ?? '').split(',').map((p) => p.split('=')[0]).filter(Boolean));

/** Why the engine cannot run this test here, or undefined when it can. */
function skipReason(name: EngineName): string | false {
  if (!given.has(name)) return `no ${name} in WEBCUBE_TEST_ENGINES (run through tests/run.mjs, or set it to a running engine)`;
  const port = Number(process.env.WEBCUBE_TEST_ENGINES!.split(',').find((p) => p.startsWith(`${name}=`))!.split('=')[1]);
  const running = readRunningEngine(join(TEST_STACK_DIR, name));
  if (running?.port !== port || !running.metastoreDir) return `${name} on port ${port} is not the file-metastore engine of ${TEST_STACK_DIR}`;
  return false;
}

for (const name of ENGINE_NAMES) {
  describe(`compaction while ${name} reads`, { skip: skipReason(name) }, () => {
    let root: string;
    let engine: TestEngine;
    let schema: string;
    let table: string;
    let store: EventStore;
    let env: Record<string, string>;
    const writes = trackedWrites(() => store);
    const write = writes.write;
    const countDay = async (): Promise<{ n: number; distinct: number }> => {
      const [[n, distinct]] = await engine.run(`SELECT count(*), count(DISTINCT event_id) FROM ${table} WHERE dt = '${DT}'`);
      return { n: Number(n), distinct: Number(distinct) };
    };

    before(async () => {
      root = await mkdtemp(join(tmpdir(), `webcube-engine-compaction-${name}-`));
      engine = await testEngine(name);
      schema = uniqueSchema('compaction');
      const running = readRunningEngine(join(TEST_STACK_DIR, name))!;
      env = {
        WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none',
        WEBCUBE_COMPACT_HIVE_TABLES: join(running.metastoreDir!, schema, 'events'), WEBCUBE_COMPACT_GRACE_S: '3600',
      };
      store = await openEventStore(loadStorageConfig(env));
      for (let b = 0; b < 6; b++) await write(20, day + b * 1000);
      table = await engine.registerEvents(root, schema);
      assert.deepEqual(await countDay(), { n: writes.flushed, distinct: writes.flushed });
    });
    after(async () => {
      await engine?.run(`DROP TABLE IF EXISTS hive.${schema}.events`).catch(() => undefined);
      await engine?.run(`DROP SCHEMA IF EXISTS hive.${schema}`).catch(() => undefined);
      await store?.close();
      await rm(root, { recursive: true, force: true });
    });

    test('every count during repeated compactions, with late files between and during them, is the truth', async () => {
      const seen: { n: number; distinct: number; floor: number; ceiling: number }[] = [];
      let reading = true;
      // Two readers, so reads start at many points of a swap.
      const readers = [0, 1].map(async () => {
        while (reading) {
          const floor = writes.flushed;
          const c = await countDay();
          seen.push({ ...c, floor, ceiling: writes.started });
        }
      });
      const runs = [];
      try {
        // Rounds until enough reads overlapped them (a compaction of a few small files is quick).
        for (let round = 0; round < 4 || (seen.length < 12 && round < 40); round++) {
          const late = day + 100_000 + round * 1000;
          if (round % 2 === 0) {
            // A read started with the compaction and no write in flight must count exactly the truth.
            const [r, exact] = await Promise.all([runCompaction(env, ['--date', DT]), countDay()]);
            assert.deepEqual(exact, { n: writes.flushed, distinct: writes.flushed }, `round ${round}: a count during compaction`);
            runs.push(...r);
            await write(10, late);
            await write(5, late + 500);
          } else {
            // Late files while the compaction holds the day: the collector waits, then adopts them.
            const [r] = await Promise.all([runCompaction(env, ['--date', DT]), write(7, late), write(3, late + 500)]);
            runs.push(...r);
          }
        }
      } finally {
        reading = false;
        await Promise.all(readers);
      }
      assert.ok(runs.filter((r) => r.inputs > 0).length >= 3, `compaction merged: ${JSON.stringify(runs)}`);
      assert.ok(seen.length >= 12, `only ${seen.length} reads overlapped compaction`);
      for (const s of seen) {
        assert.equal(s.n, s.distinct, 'an event was counted twice');
        assert.ok(s.n >= s.floor && s.n <= s.ceiling, `read ${s.n} events; ${s.floor} were flushed before it began, ${s.ceiling} written by its end`);
      }
      assert.deepEqual(await countDay(), { n: writes.flushed, distinct: writes.flushed });
    });

    test('a new day written after a swap is counted at once, with no partition sync (PrestoDB\'s fails on a moved partition)', async () => {
      const NEXT = '2026-01-06';
      const next = Date.UTC(2026, 0, 6, 9);
      await store.append(Array.from({ length: 13 }, (_, i) => makeEvent(next + i)), []);
      await store.flush();
      const [[n]] = await engine.run(`SELECT count(*) FROM ${table} WHERE dt = '${NEXT}'`);
      assert.equal(Number(n), 13);
      assert.deepEqual(await countDay(), { n: writes.flushed, distinct: writes.flushed }, 'the swapped day is unchanged');
    });

    test('after the grace period the replaced files go and the count stays the truth, on the engine and DuckDB', async () => {
      const sink = await openSink(loadStorageConfig(env));
      try {
        const before = (await sink.list(`events/dt=${DT}/`)).length;
        assert.ok(await collectGarbage(sink, Date.now() + 2 * 3600_000) > 0, 'nothing was left to delete');
        assert.ok((await sink.list(`events/dt=${DT}/`)).length < before);
        assert.deepEqual(await countDay(), { n: writes.flushed, distinct: writes.flushed });
        const files = (await listVisibleEventFiles(sink, DT)).map((k) => `'${sink.localPath(k)!.replaceAll("'", "''")}'`);
        const db = await DuckDBInstance.create(':memory:');
        const conn = await db.connect();
        try {
          const [[n, distinct]] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT event_id) FROM read_parquet([${files.join(', ')}])`)).getRows();
          assert.deepEqual([Number(n), Number(distinct)], [writes.flushed, writes.flushed], 'DuckDB reads the generation too');
        } finally {
          conn.closeSync(); db.closeSync();
        }
      } finally {
        await sink.close();
      }
    });
  });
}
