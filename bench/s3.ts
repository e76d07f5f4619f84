// Object storage against local disk, in one run: (1) the collector under load with the S3 sink
// (S3Mock, the server `webcube stack start s3` runs) beside the local-disk sink: sustained
// events/s (acked and in storage, load + drain) and ack latency; (2) PrestoDB and Trino running
// the dashboard's raw aggregates over the same Parquet files in S3 and on local disk. The S3
// server, the Hive metastore (PrestoDB's file metastore refuses S3 locations) and both engines
// are started with `webcube stack`'s code in <bench dir>/s3-stack and stopped at the end.
// Sizes: WEBCUBE_BENCH_S3_EVENTS (default 2000000). Progress on stderr.
import { readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { tmpdir } from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { engines, type EngineName } from '../bin/stack/engine-spec.ts';
import { freePort, startEngine, stopEngine, type RunningEngine } from '../bin/stack/engine-process.ts';
import { registerEvents } from '../bin/stack/register-events.ts';
import { s3AccessAt, S3_BUCKET, startS3Server, stopS3Server } from '../bin/stack/s3-server.ts';
import { s3Settings } from '../bin/stack/s3-access.ts';
import { startMetastore, stopMetastore } from '../bin/stack/metastore-server.ts';
import { createDriver } from '../server/src/drivers/create-driver.ts';
import { loadDriverConfig } from '../server/src/drivers/driver-config.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { loadModel } from '../server/src/model/index.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { openSink } from '../collector/src/sinks/open-sink.ts';
import { loadStorageConfig } from '../collector/src/storage/index.ts';
import { hasWrk } from './_collector-wrk.ts';
import { load, scrape, startProcess, stop } from './collector.ts';
import { benchDataset, bestOfTwoWarm as best, lastDays, progress, sizeLabel } from './_dataset.ts';
import type { BenchResult } from './run.ts';

const ENGINES: readonly EngineName[] = ['presto', 'trino'];
const CACHE_DIR = process.env.WEBCUBE_CACHE_DIR || join(process.env.HOME ?? tmpdir(), '.cache', 'webcube');
const COLLECTOR_SECONDS = Number(process.env.WEBCUBE_BENCH_COLLECTOR_SECONDS ?? 15);
const LAST30 = lastDays(30);
const QUERIES: [string, Record<string, unknown>][] = [
  ['overview KPIs (sessions, 30 days)', { measures: ['sessions.users', 'sessions.count', 'sessions.bounce_rate'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: LAST30 }] }],
  ['events + page views by day (30 days)', { measures: ['events.count', 'events.page_views'], timeDimensions: [{ dimension: 'events.timestamp', granularity: 'day', dateRange: LAST30 }] }],
  ['top pages (30 days)', { measures: ['page_views.count', 'page_views.users'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: LAST30 }], order: { 'page_views.count': 'desc' }, limit: 10 }],
];

const settingsEnv = (lines: string[]) => Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

/** The collector (its module, as bench/collector.ts runs it) under load for COLLECTOR_SECONDS, then drained. */
async function collectorRun(dataEnv: Record<string, string>, scratch: string, viaWrk: boolean) {
  const run = `import { collectorCommand } from ${JSON.stringify(new URL('../collector/src/collector-command.ts', import.meta.url).pathname)};
    await collectorCommand([], process.env);`;
  const collector = await startProcess(['--import', 'tsx', '--input-type=module', '-e', run], {
    ...process.env, ...dataEnv, COLLECTOR_SPOOL_DIR: join(scratch, 'spool'), COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1',
    COLLECTOR_TRUST_PROXY: 'true', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
  });
  try {
    const before = { ...(await scrape(collector.url)), at: performance.now() };
    const loadFigures = await load(collector.url, scratch, viaWrk, COLLECTOR_SECONDS);
    const after = await scrape(collector.url);
    const loadSeconds = (performance.now() - before.at) / 1000;
    let left = after.spoolEvents;
    while (left > 0 && performance.now() - before.at < (COLLECTOR_SECONDS + 180) * 1000) {
      await new Promise((r) => setTimeout(r, 200));
      left = (await scrape(collector.url)).spoolEvents;
    }
    const drained = await scrape(collector.url);
    if (loadFigures.errors > 0) throw new Error(`${loadFigures.errors} collector requests failed`);
    return { ...loadFigures, sustained: (drained.written - before.written) / ((performance.now() - before.at) / 1000), loadSeconds };
  } finally {
    await stop(collector.child);
  }
}

/** Copies the dataset's events/ to `s3://<bucket>/<prefix>/events/` through the collector's own sink. */
async function upload(dir: string, dataEnv: Record<string, string>, prefix: string): Promise<void> {
  const sink = await openSink(loadStorageConfig({ ...dataEnv, WEBCUBE_DATA_DIR: `s3://${S3_BUCKET}/${prefix}` }));
  try {
    const files = (await readdir(join(dir, 'events'), { recursive: true })).filter((f) => f.endsWith('.parquet'));
    for (const f of files) {
      // putFile consumes its file: hand it a copy.
      const { copyFile } = await import('node:fs/promises');
      const copy = join(sink.stagingDir, `upload-${f.replace(/\W/g, '_')}`);
      await copyFile(join(dir, 'events', f), copy);
      await sink.putFile(copy, `events/${relative('.', f)}`);
    }
    progress(`uploaded ${files.length} Parquet files to s3://${S3_BUCKET}/${prefix}/events`);
  } finally {
    await sink.close();
  }
}


export async function bench(): Promise<BenchResult[]> {
  const size = Number(process.env.WEBCUBE_BENCH_S3_EVENTS ?? 2_000_000);
  const label = sizeLabel(size);
  const stackRoot = join(process.env.WEBCUBE_BENCH_DIR ?? join(tmpdir(), 'webcube-bench'), 's3-stack');
  const scratch = await mkdtemp(join(tmpdir(), 'webcube-bench-s3-'));
  const results: BenchResult[] = [];
  const port = await freePort();
  const metastorePort = await freePort();
  progress('starting S3Mock, the Hive metastore, PrestoDB and Trino…');
  const s3 = await startS3Server({ cacheDir: CACHE_DIR, stateRoot: stackRoot, env: process.env, port });
  const dataEnv = settingsEnv(s3Settings(s3.access, S3_BUCKET));
  const running: RunningEngine[] = [];
  let metastoreDir: string | undefined;
  try {
    const viaWrk = await hasWrk();
    const local = await collectorRun({ WEBCUBE_DATA_DIR: join(scratch, 'local') }, join(scratch, 'c-local'), viaWrk);
    const onS3 = await collectorRun({ ...dataEnv, WEBCUBE_DATA_DIR: `s3://${S3_BUCKET}/collector-bench` }, join(scratch, 'c-s3'), viaWrk);
    results.push(
      { name: `collector, S3 sink: sustained over ${COLLECTOR_SECONDS} s (load + drain) events/s`, value: onS3.sustained, unit: 'events/s', baseline: { name: 'local-disk sink', value: local.sustained } },
      { name: 'collector, S3 sink: ack latency p50', value: onS3.p50, unit: 'ms', baseline: { name: 'local-disk sink', value: local.p50 } },
      { name: 'collector, S3 sink: ack latency p99', value: onS3.p99, unit: 'ms', baseline: { name: 'local-disk sink', value: local.p99 } },
    );

    const dir = await benchDataset(size);
    await upload(dir, dataEnv, 'engine-bench');
    const metastore = await startMetastore({ cacheDir: CACHE_DIR, stateRoot: stackRoot, env: process.env, s3: s3AccessAt(port), port: metastorePort });
    metastoreDir = metastore.stateDir;
    for (const name of ENGINES) {
      const figures: Record<string, { local: number; s3: number }> = {};
      // One JVM at a time: local disk with the stack's file metastore (Trino's local:// files are
      // unknown to the Thrift metastore's Hadoop file systems), S3 through the Thrift metastore.
      for (const where of ['local', 's3'] as const) {
        progress(`starting ${name} (${where})…`);
        const jvm = await startEngine(engines[name], {
          cacheDir: CACHE_DIR, stateRoot: join(stackRoot, where), heap: '3G', env: process.env,
          ...(where === 's3' ? { s3: s3AccessAt(port), metastoreUri: `thrift://127.0.0.1:${metastorePort}` } : {}),
        });
        running.push(jvm);
        const schema = `bench_${where}_${name}`;
        const table = await registerEvents(engines[name], { engine: name, port: jvm.port }, where === 's3' ? `s3://${S3_BUCKET}/engine-bench` : dir, schema);
        const config = loadDriverConfig({ CUBEJS_DB_TYPE: engines[name].cubeDbType, CUBEJS_DB_HOST: '127.0.0.1', CUBEJS_DB_PORT: String(jvm.port), CUBEJS_DB_PRESTO_CATALOG: 'hive', CUBEJS_DB_NAME: schema, CUBEJS_DB_USER: 'webcube', CUBEJS_DB_QUERY_TIMEOUT: '30m' });
        const driver: Driver = await createDriver(config.type, config);
        try {
          const { model, errors } = await loadModel({ schemaPath: new URL('../schema', import.meta.url).pathname, eventsTable: table });
          if (errors.length) throw new Error(`schema errors: ${errors.map((e) => e.message).join('; ')}`);
          for (const [what, query] of QUERIES) {
            const c = compileQuery(model, normalizeQuery(query, model), { dialect: driver.dialect });
            (figures[what] ??= { local: 0, s3: 0 })[where] = await best(`${what}, ${name}, ${where}`, () => driver.query(c.sql, c.params));
          }
        } finally {
          await driver.close();
          await stopEngine(jvm.stateDir);
          running.splice(running.indexOf(jvm), 1);
        }
      }
      for (const [what, f] of Object.entries(figures)) {
        results.push({ name: `${what} on ${name} over S3, ${label}`, value: f.s3, unit: 'ms', baseline: { name: 'local disk', value: f.local } });
      }
    }
  } finally {
    for (const jvm of running) await stopEngine(jvm.stateDir);
    if (metastoreDir) await stopMetastore(metastoreDir);
    await stopS3Server(s3.stateDir);
    await rm(scratch, { recursive: true, force: true });
  }
  return results;
}
