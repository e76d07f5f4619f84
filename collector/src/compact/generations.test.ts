// Generation swaps on real files: the partition metadata a file metastore keeps (the JSON the
// engines read per query) ends up naming a folder that holds every event exactly once, late files
// reach it, and a day the engine does not know yet is left alone. tests/engine-compaction-reads
// runs the same against PrestoDB and Trino.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, mkdir, writeFile, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openEventStore, loadStorageConfig } from '../storage/index.ts';
import { makeEvent, queryParquet } from '../storage/test-events.ts';
import { openLocalSink } from '../sinks/local.ts';
import { runCompaction } from './compact-command.ts';
import { listVisibleEventFiles } from './visible-parts.ts';
import { readPointer } from './generations.ts';
import { generationLocation } from './partition-swap.ts';
import { DuckDBInstance } from '@duckdb/node-api';

const DT = '2026-01-05';
const day = Date.UTC(2026, 0, 5, 12);

async function countFiles(paths: readonly string[]): Promise<{ n: number; distinct: number }> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const list = paths.map((p) => `'${p.replaceAll("'", "''")}'`).join(', ');
    const [[n, d]] = (await conn.runAndReadAll(`SELECT count(*), count(DISTINCT event_id) FROM read_parquet([${list}])`)).getRows();
    return { n: Number(n), distinct: Number(d) };
  } finally {
    conn.closeSync(); db.closeSync();
  }
}

/** What the engine lists: the Parquet files directly in the partition's location. */
async function partitionFiles(metadataFile: string): Promise<string[]> {
  const location = (JSON.parse(await readFile(metadataFile, 'utf8')) as { externalLocation: string }).externalLocation.replace(/^(local:\/\/|file:)/, '');
  return (await readdir(location, { withFileTypes: true })).filter((e) => e.isFile() && e.name.endsWith('.parquet')).map((e) => join(location, e.name));
}

test('a generation location is the partition location cut back to its day folder', () => {
  assert.equal(generationLocation('local:///d/events/dt=2026-01-05', DT, '_g-1'), 'local:///d/events/dt=2026-01-05/_g-1');
  assert.equal(generationLocation('s3a://b/p/events/dt=2026-01-05/_g-1', DT, '_g-2'), 's3a://b/p/events/dt=2026-01-05/_g-2');
  assert.equal(generationLocation('file:/d/events/dt=2026-01-05/_g-2', DT, null), 'file:/d/events/dt=2026-01-05');
  assert.throws(() => generationLocation('file:/d/events/other', DT, '_g-1'), /no \/dt=2026-01-05/);
});

test('compaction swaps the file metastore partition to a generation holding every event once; late files reach it', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-gen-'));
  const table = join(root, 'metastore', 'atomic', 'events');
  const env = {
    WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none',
    WEBCUBE_COMPACT_HIVE_TABLES: table, WEBCUBE_COMPACT_GRACE_S: '3600',
  };
  const store = await openEventStore(loadStorageConfig(env));
  try {
    let written = 0;
    const write = async (n: number, from: number) => {
      await store.append(Array.from({ length: n }, (_, i) => makeEvent(from + i)), []);
      await store.flush();
      written += n;
    };
    for (let b = 0; b < 5; b++) await write(10, day + b * 1000);
    // A PrestoDB-style partition (its checksum file included) the way sync_partition_metadata registers it.
    const metadata = join(table, `dt=${DT}`, '.prestoSchema');
    await mkdir(join(table, `dt=${DT}`), { recursive: true });
    await writeFile(metadata, JSON.stringify({ externalLocation: `file:${join(root, 'events', `dt=${DT}`)}`, columns: [] }));
    await writeFile(join(table, `dt=${DT}`, '..prestoSchema.crc'), 'stale');

    const [first] = await runCompaction(env, ['--date', DT]);
    assert.equal(first!.inputs, 5);
    const p1 = await readPointer(await openLocalSink(root), DT);
    assert.match(String(p1?.current), /^_g-/);
    assert.equal(p1?.next, undefined);
    assert.ok((JSON.parse(await readFile(metadata, 'utf8')) as { externalLocation: string }).externalLocation.endsWith(`/dt=${DT}/${p1!.current}`));
    await assert.rejects(stat(join(table, `dt=${DT}`, '..prestoSchema.crc')), 'the stale checksum went');
    assert.deepEqual(await countFiles(await partitionFiles(metadata)), { n: written, distinct: written });

    await write(4, day + 50_000);
    assert.deepEqual(await countFiles(await partitionFiles(metadata)), { n: written, distinct: written }, 'a late file is in the generation once written');
    const sink = await openLocalSink(root);
    assert.deepEqual(await countFiles((await listVisibleEventFiles(sink, DT)).map((k) => sink.localPath(k)!)), { n: written, distinct: written });

    await runCompaction(env, ['--date', DT]);
    const p2 = await readPointer(sink, DT);
    assert.notEqual(p2?.current, p1?.current);
    assert.deepEqual(await countFiles(await partitionFiles(metadata)), { n: written, distinct: written });
    const rows = await queryParquet(root, (from) => `SELECT count(*) AS n FROM ${from}`);
    assert.ok(Number(rows[0]!.n) > 0, 'the day folder keeps the replaced files for the grace period');
  } finally {
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('a day the engine has not registered yet is not compacted (its partition would be created at the day folder)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'webcube-gen-'));
  const env = {
    WEBCUBE_DATA_DIR: root, COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_GEOIP_DB: 'none',
    WEBCUBE_COMPACT_HIVE_TABLES: join(root, 'metastore', 'atomic', 'events'),
  };
  const store = await openEventStore(loadStorageConfig(env));
  try {
    for (let b = 0; b < 3; b++) {
      await store.append([makeEvent(day + b)], []);
      await store.flush();
    }
    const [r] = await runCompaction(env, ['--date', DT]);
    assert.match(String(r!.skipped), /dt=2026-01-05 is not registered/);
    assert.equal(r!.inputs, 0);
    const sink = await openLocalSink(root);
    assert.equal(await readPointer(sink, DT), undefined);
    assert.equal((await listVisibleEventFiles(sink, DT)).length, 3);
  } finally {
    await store.close();
    await rm(root, { recursive: true, force: true });
  }
});

test('generation swaps on an s3:// data root: the partition names the generation in the bucket, late files reach it', async () => {
  const { startS3TestServer } = await import('../sinks/s3-test-server.ts');
  const { openS3Sink } = await import('../sinks/s3.ts');
  const server = await startS3TestServer();
  const spool = await mkdtemp(join(tmpdir(), 'webcube-gen-s3-'));
  const prefix = `lake-${Date.now()}`;
  const table = join(spool, 'metastore', 'atomic', 'events');
  const env = {
    WEBCUBE_DATA_DIR: `s3://${server.bucket}/${prefix}`, COLLECTOR_SPOOL_DIR: join(spool, 'spool'), COLLECTOR_FLUSH_MS: '60000', COLLECTOR_DISK_MIN_FREE_BYTES: '0',
    COLLECTOR_GEOIP_DB: 'none', AWS_ENDPOINT_URL_S3: server.settings.endpoint!, AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER',
    WEBCUBE_COMPACT_HIVE_TABLES: table,
  };
  const sink = await openS3Sink({ bucket: server.bucket, prefix, settings: server.settings, stagingDir: join(spool, 'check') });
  const store = await openEventStore(loadStorageConfig(env));
  try {
    let written = 0;
    const write = async (n: number, from: number) => {
      await store.append(Array.from({ length: n }, (_, i) => makeEvent(from + i)), []);
      await store.flush();
      written += n;
    };
    for (let b = 0; b < 3; b++) await write(4, day + b * 1000);
    const metadata = join(table, `dt=${DT}`, '.trinoSchema');
    await mkdir(join(table, `dt=${DT}`), { recursive: true });
    await writeFile(metadata, JSON.stringify({ externalLocation: `s3://${server.bucket}/${prefix}/events/dt=${DT}` }));
    const [r] = await runCompaction(env, ['--date', DT]);
    assert.equal(r!.inputs, 3);
    await write(5, day + 50_000);
    const p = await readPointer(sink, DT);
    const location = (JSON.parse(await readFile(metadata, 'utf8')) as { externalLocation: string }).externalLocation;
    assert.equal(location, `s3://${server.bucket}/${prefix}/events/dt=${DT}/${p!.current}`);
    // What the engine lists there: the objects directly under the location.
    const inGeneration = (await sink.list(`events/dt=${DT}/${p!.current}/`)).filter((k) => k.endsWith('.parquet'));
    const local: string[] = [];
    for (const [i, key] of inGeneration.entries()) {
      local.push(join(spool, `g${i}.parquet`));
      await sink.download(key, local[i]!);
    }
    assert.deepEqual(await countFiles(local), { n: written, distinct: written });
    assert.deepEqual([...await listVisibleEventFiles(sink, DT)].sort(), inGeneration.sort());
  } finally {
    await store.close(); await sink.close(); await server.stop(); await rm(spool, { recursive: true, force: true });
  }
});
