// Fleet mode with the loaders writing to object storage: the official node tracker and raw tp2
// POSTs (retransmits with fixed event ids) go to a collector with COLLECTOR_SINK=kafka on a real
// Apache Kafka broker, and two `webcube loader` processes write Parquet, their checkpoints and their
// dedupe history to an S3 bucket. The bucket is S3Mock (`webcube stack start s3`), which refuses a
// PUT with If-None-Match: * on an existing key (s3rver ignores that header, so the create-only
// checkpoint versions would not fence there). S3Mock's check is not atomic, though: of PUTs racing
// for one new key several may succeed, so a zombie and the new owner publishing the same version
// at the same instant are fenced exactly only on AWS S3 / MinIO. One loader is SIGKILLed with a batch pending in the
// bucket and comes back; every acknowledged event is in the bucket's Parquet exactly once, each
// partition's checkpoint covers the partition's log, and the ids files it names hold every event.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { Admin } from '@platformatic/kafka';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildPageView, buildStructEvent, newTracker } from '@snowplow/node-tracker';
import { loadCollectorConfig, startCollector, type RunningCollector } from '@webcube/collector';
import { startKafka, stopKafka, type RunningKafka } from '../bin/stack/kafka-broker.ts';
import { startS3Server, stopS3Server, type RunningS3 } from '../bin/stack/s3-server.ts';
import { makeS3Client, openS3Sink } from '../collector/src/sinks/s3.ts';
import type { Sink } from '../collector/src/sinks/sink.ts';
import { checkpointKey, idsPrefix, readCheckpoint, type Checkpoint } from '../collector/src/loader/partition-checkpoint.ts';

const root = mkdtempSync(join(tmpdir(), 'webcube-kafka-s3-'));
const cacheDir = process.env.WEBCUBE_CACHE_DIR || join(homedir(), '.cache', 'webcube');
const TOPIC = 'fleet-s3';
const GROUP = 'g-fleet-s3';
const PARTITIONS = 4;
const PREFIX = `run-${process.pid}`;
let kafka: RunningKafka | undefined;
let s3: RunningS3 | undefined;
let sink: Sink | undefined;
const children: ChildProcess[] = [];

/** A free port in 18300-18399, the range this test may take. */
async function portInRange(): Promise<number> {
  for (let port = 18300 + Math.floor(Math.random() * 100), tries = 0; tries < 100; tries++, port = 18300 + ((port - 18300 + 1) % 100)) {
    const free = await new Promise<boolean>((resolve) => {
      const s = createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (free) return port;
  }
  throw new Error('no free port in 18300-18399');
}

before(async () => {
  const stack = join(root, 'stack');
  const s3Port = await portInRange();
  [kafka, s3] = await Promise.all([
    startKafka({ cacheDir, stateRoot: stack, env: process.env }),
    startS3Server({ cacheDir, stateRoot: stack, env: process.env, port: s3Port }),
  ]);
  sink = await openS3Sink({ bucket: s3.bucket, prefix: PREFIX, settings: { ...s3.access, forcePathStyle: true }, stagingDir: join(root, 'test-staging') });
});

after(async () => {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) { c.kill('SIGCONT'); c.kill('SIGKILL'); }
  await sink?.close();
  if (kafka) await stopKafka(kafka.stateDir);
  if (s3) await stopS3Server(s3.stateDir);
  rmSync(root, { recursive: true, force: true });
});

function s3Env(): Record<string, string> {
  return {
    WEBCUBE_DATA_DIR: `s3://${s3!.bucket}/${PREFIX}`, AWS_ENDPOINT_URL: s3!.access.endpoint, AWS_ACCESS_KEY_ID: s3!.access.accessKeyId,
    AWS_SECRET_ACCESS_KEY: s3!.access.secretAccessKey, AWS_REGION: s3!.access.region, WEBCUBE_S3_FORCE_PATH_STYLE: 'true',
    COLLECTOR_SINK: 'kafka', KAFKA_BROKERS: kafka!.brokers, KAFKA_TOPIC: TOPIC, COLLECTOR_GEOIP_DB: 'none', COLLECTOR_COMPACT_EVERY_S: '0',
  };
}

/** A loader process as it runs on its own machine: its own state and staging dirs, its own Kafka
 *  client id (so the group's member list tells which member it is), the shared bucket. */
async function spawnLoader(name: string): Promise<ChildProcess> {
  const env = {
    ...s3Env(), LOADER_GROUP_ID: GROUP, LOADER_FLUSH_MS: '300', LOADER_HOST: '127.0.0.1', LOADER_PORT: String(await portInRange()),
    LOADER_STATE_DIR: join(root, name, 'state'), COLLECTOR_SPOOL_DIR: join(root, name, 'spool'), KAFKA_CLIENT_ID: name,
  };
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'webcube.js'), 'loader'],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) if (line) process.stderr.write(`[${name}] ${line}\n`);
  });
  children.push(child);
  return child;
}

const waitForExit = (child: ChildProcess) => new Promise<void>((resolve) => {
  if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => resolve());
});

async function withAdmin<T>(use: (admin: Admin) => Promise<T>): Promise<T> {
  const admin = new Admin({ clientId: 'webcube-test', bootstrapBrokers: [kafka!.brokers] });
  try { return await use(admin); } finally { await admin.close(); }
}

/** The group's member ids of the loader started with KAFKA_CLIENT_ID=`name`. */
async function memberIdsOf(name: string): Promise<Set<string>> {
  const group = await withAdmin((admin) => admin.describeGroups({ groups: [GROUP] }));
  return new Set([...(group.get(GROUP)?.members.values() ?? [])].filter((m) => m.clientId === `${name}-loader`).map((m) => m.id));
}

/** Waits until every named loader is a member of the stable group (a loader process takes a while
 *  to start on a busy machine: events sent before would pile up in Kafka, not exercise the loaders). */
async function waitForMembers(names: readonly string[]): Promise<void> {
  for (const deadline = Date.now() + 180_000; Date.now() < deadline; await sleep(500)) {
    const group = (await withAdmin((admin) => admin.describeGroups({ groups: [GROUP] })).catch(() => undefined))?.get(GROUP);
    const clients = new Set([...(group?.members.values() ?? [])].map((m) => m.clientId));
    if (group?.state === 'STABLE' && names.every((n) => clients.has(`${n}-loader`))) return;
  }
  assert.fail(`loaders ${names.join(', ')} did not all join group ${GROUP}`);
}

/** The log end offset of every partition, read once everything was acknowledged. */
async function endOffsets(): Promise<bigint[]> {
  const listed = await withAdmin((admin) => admin.listOffsets({
    topics: [{ name: TOPIC, partitions: Array.from({ length: PARTITIONS }, (_, partitionIndex) => ({ partitionIndex, timestamp: -1n })) }],
  }));
  const out = Array.from({ length: PARTITIONS }, () => -1n);
  for (const p of listed.find((t) => t.name === TOPIC)!.partitions) out[p.partitionIndex] = p.offset;
  return out;
}

/** S3Mock (4.7.0) overwrites an object in place: a GET during a PUT of the same key now and then
 *  gets part of the new body, or a connection reset (AWS S3 serves the old or the new object whole).
 *  The loaders' readers fail their batch on that and retry it; the test's polling reads (of the
 *  checkpoint hints the loaders keep overwriting) read again too. */
async function retrying<T>(what: string, read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try { return await read(); } catch (e) {
      const code = (e as { code?: string }).code;
      if (attempt >= 5 || !(e instanceof SyntaxError || code === 'ECONNRESET' || code === 'EPIPE')) throw e;
      process.stderr.write(`${what}: ${(e as Error).message} (${code ?? (e as Error).name}), reading again\n`);
      await sleep(200);
    }
  }
}

const checkpoints = () => retrying('reading the checkpoints', () =>
  Promise.all(Array.from({ length: PARTITIONS }, (_, p) => readCheckpoint(sink!, checkpointKey(GROUP, TOPIC, p)))));

/** Freezes the loader (SIGSTOP) at moments it has a batch pending in the bucket and SIGKILLs it
 *  there; otherwise lets it go on. Returns the partition and the checkpoint it died with, or
 *  undefined once `stop` says to give up. */
async function killMidBatch(child: ChildProcess, name: string, stop: () => boolean): Promise<{ partition: number; checkpoint: Checkpoint } | undefined> {
  let mine = new Set<string>();
  let membersRead = 0;
  let reported = Date.now();
  for (; !stop(); await sleep(20)) {
    // Its member id changes only when it rejoins: looked up once a second (the group rebalances now
    // and then while loaders come and go; an answer during one is looked up again).
    if (Date.now() - membersRead > 1000) {
      mine = await memberIdsOf(name).catch(() => mine);
      membersRead = Date.now();
    }
    const seen = await checkpoints();
    const candidate = seen.findIndex((c) => c?.pending && mine.has(c.owner?.member ?? ''));
    if (Date.now() - reported > 15_000) {
      reported = Date.now();
      process.stderr.write(`waiting for a batch of ${name} (members ${[...mine].join(', ') || 'none'}) pending: ${seen.map((c, p) => `p${p} ${c?.pending ? `pending, owner ${c.owner?.member}` : `next ${c?.next}`}`).join('; ')}\n`);
    }
    if (candidate >= 0) {
      child.kill('SIGSTOP');
      const frozen = (await checkpoints())[candidate];
      if (frozen?.pending && mine.has(frozen.owner?.member ?? '')) {
        child.kill('SIGKILL');
        child.kill('SIGCONT');
        await waitForExit(child);
        return { partition: candidate, checkpoint: frozen };
      }
      child.kill('SIGCONT');
    }
  }
  return undefined;
}

/** Sends `count` events through the node tracker from `devices` trackers, each with its own `sp`
 *  cookie as a browser has (the collector keys a request by it, so the devices spread over the
 *  partitions; without one every request from here would share the key 127.0.0.1): a struct event
 *  each, a page view every 7th, labelled `${prefix}-i`. Waits for every request to be acknowledged. */
async function sendTracked(collector: RunningCollector, prefix: string, count: number, devices = 8): Promise<{ structs: string[]; pageViews: string[] }> {
  const url = new URL(collector.url);
  const failures: unknown[] = [];
  const structs: string[] = [];
  const pageViews: string[] = [];
  const trackers = Array.from({ length: devices }, (_, d) => newTracker({ namespace: `ks3-${d}`, appId: 'kafka-s3', encodeBase64: false }, {
    // Generous: on the shared test machine an acknowledgement can take seconds (acks=all, fsync).
    endpoint: url.hostname, port: Number(url.port), protocol: 'http', bufferSize: 25, connectionTimeout: 60_000, customHeaders: { cookie: `sp=${randomUUID()}` },
    onRequestFailure: (f) => { failures.push(f); },
  }));
  for (let i = 0; i < count; i++) {
    const id = `${prefix}-${i}`;
    const t = trackers[i % devices]!;
    t.setDomainUserId(`${prefix}-device-${i % devices}`);
    t.track(buildStructEvent({ category: 'test', action: 'send', label: id }));
    structs.push(id);
    if (i % 7 === 0) { t.track(buildPageView({ pageUrl: `https://shop.example/${id}`, pageTitle: id })); pageViews.push(id); }
    // A tracker's event store holds at most 1,000 events and drops the oldest silently beyond.
    if (i % 200 === 199) await Promise.all(trackers.map((x) => x.flush()));
  }
  await Promise.all(trackers.map((x) => x.flush()));
  assert.deepEqual(failures, []);
  return { structs, pageViews };
}

interface RawEvent { readonly user: number; readonly eid: string; readonly label: string; readonly dtm: string }

/** One tp2 POST per user with the user's `sp` cookie (so the collector keys its records alike and a
 *  retransmit lands in the partition of the first send); a retransmit keeps its eid and every
 *  parameter but stm, as a tracker resending an unacknowledged request does. */
async function postRaw(collector: RunningCollector, cookies: readonly string[], events: readonly RawEvent[]): Promise<void> {
  for (const [user, cookie] of cookies.entries()) {
    const mine = events.filter((e) => e.user === user);
    if (mine.length === 0) continue;
    const stm = String(Date.now());
    const data = mine.map((e) => ({ e: 'se', p: 'web', tv: 'js-4.0.0', aid: 'kafka-s3', eid: e.eid, duid: `raw-${user}`, se_ca: 'raw', se_ac: 'send', se_la: e.label, dtm: e.dtm, stm }));
    const r = await fetch(`${collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `sp=${cookie}` },
      body: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data }) });
    assert.equal(r.status, 200, await r.text());
  }
}

/** Downloads every object under the run's prefix into `dir` (DuckDB reads local files). */
async function mirrorBucket(dir: string): Promise<string[]> {
  const client = makeS3Client({ ...s3!.access, forcePathStyle: true });
  const keys: string[] = [];
  try {
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: s3!.bucket, Prefix: `${PREFIX}/`, ContinuationToken: token }));
      for (const o of page.Contents ?? []) keys.push(o.Key!.slice(PREFIX.length + 1));
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    for (const key of keys) {
      const bytes = await retrying(`downloading ${key}`, async () =>
        (await client.send(new GetObjectCommand({ Bucket: s3!.bucket, Key: `${PREFIX}/${key}` }))).Body!.transformToByteArray());
      mkdirSync(dirname(join(dir, key)), { recursive: true });
      writeFileSync(join(dir, key), bytes);
    }
  } finally { client.destroy(); }
  return keys.sort();
}

async function query(sql: string): Promise<unknown[][]> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try { return (await conn.runAndReadAll(sql)).getRows(); } finally { conn.closeSync(); db.closeSync(); }
}

/** value → rows, for the rows `where` selects. */
async function counts(dir: string, column: string, where: string): Promise<Map<string, number>> {
  const rows = await query(`SELECT ${column}, count(*) FROM read_parquet('${join(dir, 'events', '**', '*.parquet')}', hive_partitioning=true) WHERE ${where} GROUP BY 1`);
  return new Map(rows.map(([v, n]) => [String(v), Number(n)]));
}

function exactlyOnce(what: string, seen: Map<string, number>, expected: readonly string[]): void {
  const missing = expected.filter((v) => !seen.has(v));
  const twice = [...seen].filter(([, n]) => n > 1);
  const wanted = new Set(expected);
  const unexpected = [...seen.keys()].filter((v) => !wanted.has(v));
  assert.deepEqual({ missing: missing.slice(0, 5), missingCount: missing.length, twice: twice.slice(0, 5), twiceCount: twice.length, unexpected: unexpected.slice(0, 5) },
    { missing: [], missingCount: 0, twice: [], twiceCount: 0, unexpected: [] }, what);
}

test('two loaders on an S3 bucket, one SIGKILLed with a batch pending, retransmits after the partitions moved: every acknowledged event once', async () => {
  await withAdmin((admin) => admin.createTopics({ topics: [TOPIC], partitions: PARTITIONS, replicas: 1 }));
  const collectorPort = await portInRange();
  const collector = await startCollector(loadCollectorConfig({ ...s3Env(), COLLECTOR_PORT: String(collectorPort), COLLECTOR_HOST: '127.0.0.1', KAFKA_ACK_TIMEOUT_MS: '30000', COLLECTOR_SPOOL_DIR: join(root, 'collector', 'spool') }));
  const cookies = Array.from({ length: 32 }, () => randomUUID());
  let serial = 0;
  const fresh = (round: string, perUser: number): RawEvent[] => cookies.flatMap((_, user) =>
    Array.from({ length: perUser }, () => ({ user, eid: randomUUID(), label: `raw-${round}-${serial++}`, dtm: String(Date.now()) })));
  const structs: string[] = [];
  const pageViews: string[] = [];
  const raw: RawEvent[] = [];
  let retransmits = 0;
  const tracked = async (prefix: string, n: number) => { const s = await sendTracked(collector, prefix, n); structs.push(...s.structs); pageViews.push(...s.pageViews); };
  try {
    let a = await spawnLoader('loader-a');
    const b = await spawnLoader('loader-b');
    await waitForMembers(['loader-a', 'loader-b']);
    const first = fresh('a', 4);
    await postRaw(collector, cookies, first);
    raw.push(...first);

    // A dies with a batch pending in the bucket while the tracker sends.
    let killed = false;
    let round = 0;
    const killing = killMidBatch(a, 'loader-a', () => round >= 60).finally(() => { killed = true; });
    for (; !killed && round < 60; round++) await tracked(`t1-${round}`, 200);
    const death = await killing;
    assert.ok(death, `loader-a never had a batch pending in the bucket while ${round * 200} events were sent`);
    process.stderr.write(`loader-a SIGKILLed with partition ${death.partition} pending at offsets ${death.checkpoint.pending!.from}-${death.checkpoint.pending!.to}\n`);

    // B takes A's partitions over (after A's session times out); half of the first raw events come
    // again in the requests of new ones.
    const second = fresh('b', 2);
    const again = first.filter((_, i) => i % 2 === 0);
    await postRaw(collector, cookies, [...again, ...second]);
    raw.push(...second);
    retransmits += again.length;
    await tracked('t2', 800);

    // A comes back on its old state dir: the partitions are split again, and every raw event so
    // far comes again.
    a = await spawnLoader('loader-a');
    const third = fresh('c', 2);
    const all = [...raw];
    await postRaw(collector, cookies, [...all, ...third]);
    raw.push(...third);
    retransmits += all.length;
    await tracked('t3', 600);

    // Everything is acknowledged: the loaders are done when every partition's checkpoint has
    // reached the log end with no batch pending.
    const ends = await endOffsets();
    assert.ok(ends.every((e) => e > 0n), `records in every partition (${ends.join(', ')}): the senders' keys spread over them`);
    let cps = await checkpoints();
    const done = () => cps.every((c, p) => c !== undefined && c.pending === undefined && BigInt(c.next) === ends[p]);
    for (const deadline = Date.now() + 300_000; !done() && Date.now() < deadline; cps = await checkpoints()) await sleep(500);
    assert.deepEqual(cps.map((c) => ({ next: c?.next, pending: c?.pending })), ends.map((e) => ({ next: String(e), pending: undefined })),
      'every partition loaded up to its log end');
    process.stderr.write(`log ends ${ends.join(", ")}; checkpoints: ${cps.map((c, p) => `p${p} next ${c!.next} seq ${c!.seq}`).join(', ')}\n`);
    assert.ok(cps[death.partition]!.seq! > death.checkpoint.seq!, 'the killed batch was loaded by a later owner');
    a.kill('SIGTERM'); b.kill('SIGTERM');
    await Promise.all([waitForExit(a), waitForExit(b)]);

    const dir = join(root, 'bucket');
    const keys = await mirrorBucket(dir);
    exactlyOnce('tracker struct events by label', await counts(dir, 'se_label', `event = 'struct' AND se_category = 'test'`), structs);
    exactlyOnce('tracker page views by title', await counts(dir, 'page_title', `event = 'page_view'`), pageViews);
    exactlyOnce('raw events by event id', await counts(dir, 'event_id', `se_category = 'raw'`), raw.map((e) => e.eid));
    const labelled = await counts(dir, `event_id || ' ' || se_label`, `se_category = 'raw'`);
    exactlyOnce('raw events carry their own label', labelled, raw.map((e) => `${e.eid} ${e.label}`));
    const total = structs.length + pageViews.length + raw.length;
    const [[rows, distinct]] = await query(`SELECT count(*), count(DISTINCT event_id) FROM read_parquet('${join(dir, 'events', '**', '*.parquet')}')`);
    assert.deepEqual({ rows: Number(rows), distinct: Number(distinct) }, { rows: total, distinct: total });
    process.stderr.write(`${total} events: ${structs.length} struct and ${pageViews.length} page views from the tracker, ${raw.length} raw, sent again ${retransmits} times\n`);

    // Checkpoints and dedupe history are in the bucket: every partition's hint, its versions, and
    // the ids files its checkpoint names, which together hold one key per event written.
    let idsKeys = 0;
    for (const [p, cp] of cps.entries()) {
      const key = checkpointKey(GROUP, TOPIC, p);
      assert.ok(keys.includes(key), `${key} in the bucket`);
      assert.ok(keys.some((k) => k.startsWith(`${key.replace(/\.json$/, '')}/seq/`)), `partition ${p}'s checkpoint versions in the bucket`);
      const files = cp!.ids!.files;
      assert.ok(files.length > 0 && files.every((f) => f.key.startsWith(idsPrefix(key)) && keys.includes(f.key)), `partition ${p}'s ids files in the bucket`);
      const [[n]] = await query(`SELECT count(*) FROM read_parquet([${files.map((f) => `'${join(dir, f.key)}'`).join(', ')}])`);
      assert.equal(Number(n), files.reduce((s, f) => s + f.n, 0), `partition ${p}'s ids files hold what the checkpoint says`);
      idsKeys += Number(n);
    }
    assert.equal(idsKeys, total, 'the dedupe history in the bucket holds every event written, once');
  } finally {
    await collector.close();
  }
});
