// Object storage end to end (and compaction there, last): the collector's S3 sink writes to the server `webcube stack start
// s3` runs (events sent with the official node tracker), then PrestoDB and Trino, configured for
// that server by the stack code, read the objects back (counts and
// timestamps equal DuckDB's reading of the same objects) and write a CTAS table there. Both
// engines keep their tables in the Thrift Hive metastore `webcube stack start metastore` runs
// (PrestoDB's file metastore refuses S3 locations).
// Everything is started here, in its own stack folder, and stopped after; a stack already
// running in WEBCUBE_TEST_S3_STACK_DIR is reused and left running.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import { engines, type EngineName } from '../bin/stack/engine-spec.ts';
import { freePort, readRunningEngine, startEngine, stopEngine, type RunningEngine } from '../bin/stack/engine-process.ts';
import { registerEvents } from '../bin/stack/register-events.ts';
import { readRunningS3, s3AccessAt, startS3Server, stopS3Server, type RunningS3 } from '../bin/stack/s3-server.ts';
import { readRunningMetastore, startMetastore, stopMetastore } from '../bin/stack/metastore-server.ts';
import { runStatement } from '../bin/stack/statement-client.ts';
import { makeS3Client } from '../collector/src/sinks/s3.ts';
import { startHarness, type CollectorHarness } from './collector-harness.ts';
import { SENT_TIMES, sendTimestampEvents } from './timestamp-events.ts';
import { openEventStore, loadStorageConfig, type EventStore } from '../collector/src/storage/index.ts';
import { makeEvent } from '../collector/src/storage/test-events.ts';
import { trackedWrites } from './tracked-writes.ts';
import { runCompaction } from '../collector/src/compact/compact-command.ts';
import type { CompactDayResult } from '../collector/src/compact/compact-day.ts';
import { pointerKey } from '../collector/src/compact/generations.ts';
import { getPartition, locationOf, PARTITION_SD, sdOf } from '../collector/src/compact/hive-metastore-client.ts';

const ENGINES: readonly EngineName[] = ['presto', 'trino'];
const STACK_DIR = process.env.WEBCUBE_TEST_S3_STACK_DIR || join(tmpdir(), `webcube-test-s3-stack-${process.pid}`);
const CACHE_DIR = process.env.WEBCUBE_CACHE_DIR || join(process.env.HOME ?? tmpdir(), '.cache', 'webcube');
const RUN = `run_${process.pid}_${Date.now()}`;


describe('object storage end to end', () => {
  let s3: RunningS3;
  const running: Partial<Record<EngineName, RunningEngine>> = {};
  const startedHere: string[] = [];
  let h: CollectorHarness;
  let metastorePort: number;
  const client = () => makeS3Client({ ...s3.access, forcePathStyle: true });

  /** Keys under `prefix` in the bucket. */
  async function keys(prefix: string): Promise<string[]> {
    const listed = await client().send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((o) => o.Key!).sort();
  }

  before(async () => {
    const wasRunning = (name: string) => (name === 's3' ? readRunningS3(join(STACK_DIR, 's3')) : name === 'metastore'
      ? readRunningMetastore(join(STACK_DIR, name)) : readRunningEngine(join(STACK_DIR, name))) !== undefined;
    for (const name of ['s3', 'metastore', ...ENGINES]) if (!wasRunning(name)) startedHere.push(name);
    // The engines start while S3Mock starts and the collector writes: their start-up is most of
    // this file's time, and they do not reach S3 before a query does.
    const port = readRunningS3(join(STACK_DIR, 's3'))?.port ?? await freePort();
    metastorePort = readRunningMetastore(join(STACK_DIR, 'metastore'))?.port ?? await freePort();
    const metastoreUp = startMetastore({ cacheDir: CACHE_DIR, stateRoot: STACK_DIR, env: process.env, s3: s3AccessAt(port), port: metastorePort });
    metastoreUp.catch(() => undefined);
    const enginesUp = Promise.all(ENGINES.map(async (name) => {
      running[name] = await startEngine(engines[name], {
        cacheDir: CACHE_DIR, stateRoot: STACK_DIR, heap: '3G', env: process.env, s3: s3AccessAt(port), metastoreUri: `thrift://127.0.0.1:${metastorePort}`,
      });
    }));
    enginesUp.catch(() => undefined); // awaited below; a failure must not go unhandled meanwhile
    s3 = await startS3Server({ cacheDir: CACHE_DIR, stateRoot: STACK_DIR, env: process.env, port });
    h = await startHarness({
      WEBCUBE_DATA_DIR: `s3://${s3.bucket}/${RUN}`, COLLECTOR_SPOOL_DIR: join(STACK_DIR, `spool-${RUN}`),
      AWS_ENDPOINT_URL: s3.access.endpoint, AWS_ACCESS_KEY_ID: s3.access.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.access.secretAccessKey,
      AWS_REGION: s3.access.region, WEBCUBE_S3_FORCE_PATH_STYLE: 'true',
    });
    await sendTimestampEvents(h, 's3-site');
    // DuckDB reads the very objects the engines will read: downloaded into the harness's folder.
    for (const key of await keys(`${RUN}/events/`)) {
      const object = await client().send(new GetObjectCommand({ Bucket: s3.bucket, Key: key }));
      const local = join(h.dir, key.slice(RUN.length + 1));
      await mkdir(dirname(local), { recursive: true });
      await writeFile(local, await object.Body!.transformToByteArray());
    }
    await Promise.all([metastoreUp, enginesUp]);
  });

  after(async () => {
    await h?.close();
    for (const name of [...startedHere].reverse()) await (name === 's3' ? stopS3Server : name === 'metastore' ? stopMetastore : stopEngine)(join(STACK_DIR, name));
    if (!process.env.WEBCUBE_TEST_S3_STACK_DIR) await rm(STACK_DIR, { recursive: true, force: true });
  });

  test('the collector wrote Hive-partitioned Parquet objects to the bucket', async () => {
    const objects = await keys(`${RUN}/events/`);
    assert.ok(objects.length > 0 && objects.every((k) => /\/events\/dt=\d{4}-\d{2}-\d{2}\/[^/]+\.parquet$/.test(k)), objects.join('\n'));
    const duck = await h.events<{ created: string }>(`SELECT strftime(dvce_created_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS created FROM events`);
    assert.deepEqual(duck.map((r) => r.created).sort(), [...SENT_TIMES].sort());
  });

  for (const name of ENGINES) {
    describe(name, () => {
      const schema = `s3_${name}_${process.pid}`;
      const endpoint = () => ({ engine: name, port: running[name]!.port });
      const run = (sql: string) => runStatement(endpoint(), sql);

      after(async () => {
        if (!running[name]) return;
        for (const sql of [`DROP TABLE IF EXISTS hive.${schema}.events`, `DROP TABLE IF EXISTS hive.${schema}_ctas.daily`,
          `DROP SCHEMA IF EXISTS hive.${schema}_ctas`, `DROP SCHEMA IF EXISTS hive.${schema}`]) await run(sql).catch(() => undefined);
      });

      test(`${name} lists and reads the objects: counts and timestamps equal DuckDB's`, async () => {
        const table = await registerEvents(engines[name], endpoint(), `s3://${s3.bucket}/${RUN}`, schema);
        const [[n, days]] = await run(`SELECT COUNT(*), COUNT(DISTINCT dt) FROM ${table}`);
        const duckCounts = await h.events<{ n: number; days: number }>('SELECT COUNT(*)::INTEGER AS n, COUNT(DISTINCT dt)::INTEGER AS days FROM events');
        assert.deepEqual([{ n: Number(n), days: Number(days) }], duckCounts);
        const duck = await h.events<Record<string, string>>(`SELECT event_id, strftime(dvce_created_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS created,
          strftime(collector_tstamp, '%Y-%m-%d %H:%M:%S.%g') AS collected, dt FROM events ORDER BY event_id`);
        const rows = await run(`SELECT event_id, CAST(dvce_created_tstamp AS varchar), CAST(collector_tstamp AS varchar), dt FROM ${table} ORDER BY event_id`);
        assert.deepEqual(rows.map(([event_id, created, collected, dt]) => ({ event_id, created, collected, dt })), duck);
      });

      // The metastore's warehouse is a local folder, so a table written onto S3 lives in a schema
      // located there (PrestoDB refuses CTAS with external_location; Trino takes either).
      test(`${name} writes a CTAS table into the bucket and reads it back`, async () => {
        const location = `${name === 'presto' ? 's3a' : 's3'}://${s3.bucket}/${RUN}/ctas_${name}`;
        await run(`CREATE SCHEMA IF NOT EXISTS hive.${schema}_ctas WITH (location = '${location}')`);
        await run(`CREATE TABLE hive.${schema}_ctas.daily AS SELECT dt, COUNT(*) AS n FROM hive.${schema}.events GROUP BY dt`);
        const rows = await run(`SELECT dt, n FROM hive.${schema}_ctas.daily ORDER BY dt`);
        const duck = await h.events<{ dt: string; n: number }>('SELECT CAST(dt AS VARCHAR) AS dt, COUNT(*)::INTEGER AS n FROM events GROUP BY dt ORDER BY dt');
        assert.deepEqual(rows.map(([dt, n]) => ({ dt: String(dt), n: Number(n) })), duck);
        assert.ok((await keys(`${RUN}/ctas_${name}/`)).length > 0, `no objects under ${location}`);
      });
    });
  }
  // Compaction with the Thrift metastore's swap (partition-swap.ts): both engines count the day
  // over and over while `webcube compact` merges it several times and late files arrive between
  // and during the runs. Every count lies between the events flushed before the read began and
  // those written by its end, none twice; a read with no write in flight counts the truth.
  describe('compaction on S3 while both engines read (Thrift metastore swap)', () => {
    const DT = '2026-01-05';
    const day = Date.UTC(2026, 0, 5, 12);
    const prefix = `${RUN}_compact`;
    const schemaOf = (name: EngineName) => `s3c_${name}_${process.pid}`;
    let store: EventStore;
    let env: Record<string, string>;
    const writes = trackedWrites(() => store);
    const write = writes.write;
    const count = async (name: EngineName, dt = DT): Promise<{ n: number; distinct: number }> => {
      const [[n, distinct]] = await runStatement({ engine: name, port: running[name]!.port },
        `SELECT count(*), count(DISTINCT event_id) FROM hive.${schemaOf(name)}.events WHERE dt = '${dt}'`);
      return { n: Number(n), distinct: Number(distinct) };
    };

    before(async () => {
      env = {
        WEBCUBE_DATA_DIR: `s3://${s3.bucket}/${prefix}`, COLLECTOR_SPOOL_DIR: join(STACK_DIR, `spool-${prefix}`),
        AWS_ENDPOINT_URL: s3.access.endpoint, AWS_ACCESS_KEY_ID: s3.access.accessKeyId, AWS_SECRET_ACCESS_KEY: s3.access.secretAccessKey,
        AWS_REGION: s3.access.region, WEBCUBE_S3_FORCE_PATH_STYLE: 'true',
        COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none', WEBCUBE_COMPACT_GRACE_S: '3600',
        // One table per engine (PrestoDB spells the bucket s3a://, Trino s3://), comma-separated.
        WEBCUBE_COMPACT_HIVE_METASTORE: ENGINES.map((name) => `thrift://127.0.0.1:${metastorePort}/${schemaOf(name)}.events`).join(','),
      };
      store = await openEventStore(loadStorageConfig(env));
      // Written before the tables exist: the collector leaves the days to the tables' first sync.
      for (let b = 0; b < 6; b++) await write(20, day + b * 1000);
      for (const name of ENGINES) {
        await registerEvents(engines[name], { engine: name, port: running[name]!.port }, `s3://${s3.bucket}/${prefix}`, schemaOf(name));
        assert.deepEqual(await count(name), { n: writes.flushed, distinct: writes.flushed }, `${name} before compaction`);
      }
    });
    after(async () => {
      await store?.close();
      for (const name of ENGINES) {
        if (!running[name]) continue;
        const run = (sql: string) => runStatement({ engine: name, port: running[name]!.port }, sql).catch(() => undefined);
        await run(`DROP TABLE IF EXISTS hive.${schemaOf(name)}.events`);
        await run(`DROP SCHEMA IF EXISTS hive.${schemaOf(name)}`);
      }
    });

    test('every count on PrestoDB and Trino during repeated compactions, with late files between and during them, is the truth', async () => {
      const seen: Record<EngineName, { n: number; distinct: number; floor: number; ceiling: number }[]> = { presto: [], trino: [] };
      let reading = true;
      const readers = ENGINES.map(async (name) => {
        while (reading) {
          const floor = writes.flushed;
          const c = await count(name);
          seen[name].push({ ...c, floor, ceiling: writes.started });
        }
      });
      const runs: CompactDayResult[] = [];
      try {
        for (let round = 0; round < 4 || (Math.min(...ENGINES.map((e) => seen[e].length)) < 8 && round < 30); round++) {
          const late = day + 100_000 + round * 1000;
          if (round % 2 === 0) {
            const [r, ...exact] = await Promise.all([runCompaction(env, ['--date', DT]), ...ENGINES.map((name) => count(name))]);
            for (const c of exact) assert.deepEqual(c, { n: writes.flushed, distinct: writes.flushed }, `round ${round}: a count during compaction`);
            runs.push(...r);
            await write(10, late);
          } else {
            const [r] = await Promise.all([runCompaction(env, ['--date', DT]), write(7, late), write(3, late + 500)]);
            runs.push(...r);
          }
        }
      } finally {
        reading = false;
        await Promise.all(readers);
      }
      assert.ok(runs.filter((r) => r.inputs > 0).length >= 3, `compaction merged: ${JSON.stringify(runs)}`);
      // Both tables' partitions point at the generation the day's pointer names.
      const { current } = JSON.parse(await (await client().send(new GetObjectCommand({ Bucket: s3.bucket, Key: `${prefix}/${pointerKey(DT)}` }))).Body!.transformToString()) as { current: string };
      assert.match(current, /^_g-/);
      for (const name of ENGINES) {
        const p = await getPartition({ host: '127.0.0.1', port: metastorePort }, schemaOf(name), 'events', DT);
        assert.equal(locationOf(sdOf(p!, PARTITION_SD)), `${name === 'presto' ? 's3a' : 's3'}://${s3.bucket}/${prefix}/events/dt=${DT}/${current}`);
      }
      for (const name of ENGINES) {
        assert.ok(seen[name].length >= 8, `only ${seen[name].length} ${name} reads overlapped compaction`);
        for (const s of seen[name]) {
          assert.equal(s.n, s.distinct, `${name} counted an event twice`);
          assert.ok(s.n >= s.floor && s.n <= s.ceiling, `${name} read ${s.n} events; ${s.floor} were flushed before it began, ${s.ceiling} written by its end`);
        }
      }
      // A late file written after the last swap is counted too.
      await write(9, day + 500_000);
      for (const name of ENGINES) assert.deepEqual(await count(name), { n: writes.flushed, distinct: writes.flushed }, `${name} after the swaps`);
    });

    test('a new day written after the swaps is registered by the collector (add_partition) and counted at once', async () => {
      const NEXT = '2026-01-06';
      await store.append(Array.from({ length: 13 }, (_, i) => makeEvent(Date.UTC(2026, 0, 6, 9) + i)), []);
      await store.flush();
      for (const name of ENGINES) {
        assert.deepEqual(await count(name, NEXT), { n: 13, distinct: 13 }, name);
        assert.deepEqual(await count(name), { n: writes.flushed, distinct: writes.flushed }, `${name}: the swapped day is unchanged`);
      }
    });
  });
});
