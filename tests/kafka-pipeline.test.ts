// Fleet mode end to end against a real Apache Kafka broker (started here through the stack code,
// jars cached in ~/.cache/webcube): the official node tracker sends to a collector with
// COLLECTOR_SINK=kafka, loaders consume the topic and write Parquet, and every acknowledged event is
// in the files exactly once — also across a SIGKILLed loader and two loaders sharing the partitions.
// With Kafka unreachable the collector answers 503 + Retry-After and acknowledges nothing.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Admin } from '@platformatic/kafka';
import { DuckDBInstance } from '@duckdb/node-api';
import { buildPageView, buildStructEvent, newTracker } from '@snowplow/node-tracker';
import { loadCollectorConfig, startCollector, startLoader, loadLoaderConfig, type RunningCollector } from '@webcube/collector';
import { startKafka, stopKafka, type RunningKafka } from '../bin/stack/kafka-broker.ts';
import { freePort } from '../bin/stack/background-process.ts';

const root = mkdtempSync(join(tmpdir(), 'webcube-kafka-'));
const cacheDir = process.env.WEBCUBE_CACHE_DIR || join(homedir(), '.cache', 'webcube');
let kafka: RunningKafka;
const children: ChildProcess[] = [];

before(async () => { kafka = await startKafka({ cacheDir, stateRoot: join(root, 'stack'), env: process.env }); });
after(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  await stopKafka(kafka.stateDir);
  rmSync(root, { recursive: true, force: true });
});

async function createTopic(topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ clientId: 'webcube-test', bootstrapBrokers: [kafka.brokers] });
  try { await admin.createTopics({ topics: [topic], partitions, replicas: 1 }); } finally { await admin.close(); }
}

function envFor(name: string, topic: string): Record<string, string> {
  return {
    WEBCUBE_DATA_DIR: join(root, name, 'data'), COLLECTOR_SPOOL_DIR: join(root, name, 'spool'), COLLECTOR_SINK: 'kafka',
    KAFKA_BROKERS: kafka.brokers, KAFKA_TOPIC: topic, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_GEOIP_DB: 'none',
    LOADER_PORT: '0', LOADER_HOST: '127.0.0.1', LOADER_FLUSH_MS: '300', LOADER_GROUP_ID: `g-${name}`, COLLECTOR_COMPACT_EVERY_S: '0',
  };
}

/** Sends `count` events through the node tracker with unique ids, batched; returns the ids acknowledged. */
async function send(collector: RunningCollector, prefix: string, count: number, users = 20): Promise<string[]> {
  const url = new URL(collector.url);
  const failures: unknown[] = [];
  const ids: string[] = [];
  const t = newTracker({ namespace: 'kt', appId: 'kafka-app', encodeBase64: false }, {
    endpoint: url.hostname, port: Number(url.port), protocol: 'http', bufferSize: 50, onRequestFailure: (f) => { failures.push(f); },
  });
  for (let i = 0; i < count; i++) {
    t.setDomainUserId(`${prefix}-user-${i % users}`);
    const id = `${prefix}-${i}`;
    ids.push(id);
    t.track(buildStructEvent({ category: 'test', action: 'send', label: id }));
    if (i % 7 === 0) t.track(buildPageView({ pageUrl: `https://shop.example/${id}`, pageTitle: id }));
    // The tracker's in-memory event store keeps at most 1,000 events and silently drops the oldest
    // beyond that (no onRequestFailure): send before it fills, or events never leave the tracker.
    if (i % 200 === 199) await t.flush();
  }
  await t.flush();
  assert.deepEqual(failures, []);
  return ids;
}

async function labels(dataDir: string): Promise<Map<string, number>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT se_label, count(*) FROM read_parquet('${join(dataDir, 'events', '**', '*.parquet')}', hive_partitioning=true)
      WHERE event = 'struct' GROUP BY 1`).catch(() => undefined);
    return new Map((r?.getRows() ?? []).map(([l, n]) => [String(l), Number(n)]));
  } finally { conn.closeSync(); db.closeSync(); }
}

async function waitForAll(dataDir: string, ids: readonly string[], timeoutMs = 120_000): Promise<Map<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let seen = new Map<string, number>();
  while (Date.now() < deadline) {
    seen = await labels(dataDir);
    if (ids.every((id) => seen.has(id))) return seen;
    await sleep(500);
  }
  return seen;
}

function assertExactlyOnce(seen: Map<string, number>, ids: readonly string[]): void {
  const missing = ids.filter((id) => !seen.has(id));
  const twice = [...seen].filter(([, n]) => n > 1);
  assert.deepEqual({ missing: missing.slice(0, 5), missingCount: missing.length, twice: twice.slice(0, 5) }, { missing: [], missingCount: 0, twice: [] });
  assert.equal(seen.size, ids.length);
}

test('node tracker → collector → Kafka → loader → Parquet: every event once, bad rows kept, lag on /metrics', async () => {
  await createTopic('basic', 4);
  const env = envFor('basic', 'basic');
  const collector = await startCollector(loadCollectorConfig(env));
  const loader = await startLoader(loadLoaderConfig(env));
  try {
    const ids = await send(collector, 'basic', 600);
    // A request that is not JSON: acknowledged as a bad row, written by the loader.
    const bad = await fetch(`${collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"schema":"iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4","data":[{"e":"zz","tv":"x"}]}' });
    assert.ok(bad.status < 500, `bad event answered ${bad.status}`);
    assertExactlyOnce(await waitForAll(env.WEBCUBE_DATA_DIR!, ids), ids);
    const metrics = await (await fetch(`${loader.url}/metrics`)).text();
    assert.match(metrics, /webcube_loader_consumer_lag\{partition="\d"\} \d+/);
    assert.match(metrics, /webcube_loader_events_written_total [1-9]/);
  } finally {
    await collector.close();
    await loader.close();
  }
});

test('with Kafka unreachable the collector answers 503 with Retry-After and acknowledges nothing', async () => {
  const env = { ...envFor('down', 'down'), KAFKA_BROKERS: `127.0.0.1:${await freePort()}`, KAFKA_ACK_TIMEOUT_MS: '1500' };
  const collector = await startCollector(loadCollectorConfig(env));
  try {
    const body = JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data: [{ e: 'pv', p: 'web', tv: 'js-4', eid: '3f8a2f1c-0a0b-4c1d-8e2f-000000000001', url: 'https://a.example/' }] });
    const r = await fetch(`${collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    assert.equal(r.status, 503);
    assert.ok(Number(r.headers.get('retry-after')) > 0);
    assert.equal(collector.metrics.rejectedOverload, 1);
  } finally {
    await collector.close();
  }
});

function spawnLoader(env: Record<string, string>, stateDir: string): ChildProcess {
  const child = spawn(process.execPath, [join(import.meta.dirname, '..', 'bin', 'webcube.js'), 'loader'],
    { env: { ...process.env, ...env, LOADER_STATE_DIR: stateDir }, stdio: ['ignore', 'ignore', 'inherit'] });
  children.push(child);
  return child;
}

// Issue #14: the events "lost" here never left the tracker (see send()); the loader also starts a
// partition with no committed offset that comes back to it at the earliest offset, not where its
// stream had got to when the partition was taken away.
test('a loader SIGKILLed under load and two loaders sharing the partitions: every event exactly once', async () => {
  await createTopic('kill', 4);
  const env = envFor('kill', 'kill');
  const collector = await startCollector(loadCollectorConfig(env));
  try {
    const first = spawnLoader(env, join(root, 'kill', 'loader-a'));
    const second = spawnLoader(env, join(root, 'kill', 'loader-b'));
    const sending = send(collector, 'kill', 1500, 50);
    // Killed once it has written something, so it dies with a batch in hand rather than at start.
    while ((await labels(env.WEBCUBE_DATA_DIR!)).size === 0) await sleep(200);
    first.kill('SIGKILL');
    const third = spawnLoader(env, join(root, 'kill', 'loader-c'));
    const ids = [...await sending, ...await send(collector, 'kill2', 1500, 50)];
    assertExactlyOnce(await waitForAll(env.WEBCUBE_DATA_DIR!, ids, 180_000), ids);
    second.kill('SIGTERM'); third.kill('SIGTERM');
  } finally {
    await collector.close();
  }
});

/** Posts `count` struct events in requests of 10 while `until` is pending; returns the labels the
 *  collector acknowledged (200) — the only truth — and how many requests it refused. */
async function sendRaw(collector: RunningCollector, prefix: string, until: Promise<unknown>): Promise<{ acked: string[]; refused: number }> {
  let done = false;
  void until.finally(() => { done = true; });
  const acked: string[] = [];
  let refused = 0;
  for (let request = 0; !done || request < 20; request++) {
    const labelsOf = Array.from({ length: 10 }, (_, i) => `${prefix}-${request}-${i}`);
    const data = labelsOf.map((l) => ({ e: 'se', p: 'web', tv: 'raw-1', aid: 'kafka-app', eid: randomUUID(), se_ca: 'test', se_ac: 'send', se_la: l, dtm: String(Date.now()) }));
    const r = await fetch(`${collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data }) }).catch(() => undefined);
    if (r?.status === 200) acked.push(...labelsOf); else { refused += 1; await sleep(100); }
    await r?.arrayBuffer().catch(() => undefined);
  }
  return { acked, refused };
}

test('the broker stopped and started again under load: every acknowledged event exactly once', async () => {
  await createTopic('restart', 4);
  const env: Record<string, string> = { ...envFor('restart', 'restart'), KAFKA_ACK_TIMEOUT_MS: '3000' };
  const collector = await startCollector(loadCollectorConfig(env));
  const loader = await startLoader(loadLoaderConfig({ ...env, LOADER_STATE_DIR: join(root, 'restart', 'loader') }));
  try {
    const restart = (async () => {
      while ((await labels(env.WEBCUBE_DATA_DIR!)).size === 0) await sleep(200);
      await stopKafka(kafka.stateDir);
      await sleep(2000);
      kafka = await startKafka({ cacheDir, stateRoot: join(root, 'stack'), env: process.env });
    })();
    const { acked, refused } = await sendRaw(collector, 'restart', restart);
    assert.ok(acked.length > 0);
    process.stderr.write(`broker restart: ${acked.length} events acknowledged, ${refused} requests refused\n`);
    const seen = await waitForAll(env.WEBCUBE_DATA_DIR!, acked, 180_000);
    const missing = acked.filter((id) => !seen.has(id));
    const twice = [...seen].filter(([, n]) => n > 1);
    assert.deepEqual({ missing: missing.slice(0, 5), missingCount: missing.length, twice: twice.slice(0, 5) }, { missing: [], missingCount: 0, twice: [] });
  } finally {
    await collector.close();
    await loader.close();
  }
});

/** event_id → rows in the Parquet files. */
async function eventIdCounts(dataDir: string): Promise<Map<string, number>> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT event_id, count(*) FROM read_parquet('${join(dataDir, 'events', '**', '*.parquet')}', hive_partitioning=true) GROUP BY 1`).catch(() => undefined);
    return new Map((r?.getRows() ?? []).map(([id, n]) => [String(id), Number(n)]));
  } finally { conn.closeSync(); db.closeSync(); }
}

interface SentEvent { readonly user: number; readonly eid: string; readonly label: string; readonly dtm: string }

/** One tp2 POST per user, as a browser tracker sends it: the user's `sp` cookie (so the collector
 *  keys the record by it and a user's requests, retransmits included, share a partition) and a
 *  fresh stm; a retransmitted event keeps its eid and every other parameter. */
async function postEvents(collector: RunningCollector, cookies: readonly string[], events: readonly SentEvent[]): Promise<void> {
  for (const [user, cookie] of cookies.entries()) {
    const mine = events.filter((e) => e.user === user);
    if (mine.length === 0) continue;
    const stm = String(Date.now());
    const data = mine.map((e) => ({ e: 'se', p: 'web', tv: 'js-4.0.0', aid: 'kafka-app', eid: e.eid, duid: `d-${user}`, se_ca: 'test', se_ac: 'send', se_la: e.label, dtm: e.dtm, stm }));
    const r = await fetch(`${collector.url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'content-type': 'application/json', cookie: `sp=${cookie}` },
      body: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data }) });
    assert.equal(r.status, 200, await r.text());
  }
}

/** Each partition's newest checkpoint version (for a failure message: where each partition stood). */
function checkpoints(env: Record<string, string>, partitions: number): string {
  const dir = join(env.WEBCUBE_DATA_DIR!, 'loader', env.LOADER_GROUP_ID!, env.KAFKA_TOPIC!);
  return Array.from({ length: partitions }, (_, p) => {
    try {
      const newest = readdirSync(join(dir, String(p), 'seq')).sort().at(-1);
      const { next, pending, seq, owner } = JSON.parse(readFileSync(join(dir, String(p), 'seq', newest!), 'utf8')) as Record<string, unknown>;
      return `${p}: ${JSON.stringify({ next, pending, seq, owner })}`;
    } catch (e) { return `${p}: ${(e as Error).message}`; }
  }).join('; ');
}

const waitForExit = (child: ChildProcess) => new Promise<void>((resolve) => { if (child.exitCode !== null || child.signalCode !== null) resolve(); else child.once('exit', () => resolve()); });

// Issue #14: the dedupe history lived in each loader's own state dir, so a tracker's retransmit of
// an event that reached Kafka after the event's partition had moved to another loader was written
// a second time. It now moves with the partition (partition-dedupe.ts).
test('retransmits after a partition moved to another loader (SIGKILL, a rebalance, a paused owner) are written once', async () => {
  await createTopic('moved', 4);
  const env = envFor('moved', 'moved');
  const collector = await startCollector(loadCollectorConfig(env));
  const cookies = Array.from({ length: 16 }, () => randomUUID());
  let serial = 0;
  const fresh = (round: string, perUser: number): SentEvent[] => cookies.flatMap((_, user) =>
    Array.from({ length: perUser }, () => ({ user, eid: randomUUID(), label: `moved-${round}-${serial++}`, dtm: String(Date.now()) })));
  const sent: SentEvent[] = [];
  const loadedAll = async (events: readonly SentEvent[]) => {
    const seen = await waitForAll(env.WEBCUBE_DATA_DIR!, events.map((e) => e.label), 180_000);
    const missing = events.filter((e) => !seen.has(e.label));
    assert.deepEqual(missing.length, 0, `not loaded: ${JSON.stringify(missing.map((e) => e.label))}; checkpoints: ${checkpoints(env, 4)}`);
  };
  try {
    const a = spawnLoader(env, join(root, 'moved', 'loader-a'));
    const first = fresh('a', 10);
    await postEvents(collector, cookies, first);
    sent.push(...first);
    await loadedAll(first);
    a.kill('SIGKILL');
    await waitForExit(a);

    // B gets every partition A had; half of A's events come again, in the requests of new ones.
    const b = spawnLoader(env, join(root, 'moved', 'loader-b'));
    const second = fresh('b', 5);
    const again = first.filter((_, i) => i % 2 === 0);
    await postEvents(collector, cookies, [...again, ...second]);
    sent.push(...again, ...second);
    await loadedAll(second);

    // C joins: the partitions are split between B and C, and every event so far comes again.
    const c = spawnLoader(env, join(root, 'moved', 'loader-c'));
    const third = fresh('c', 5);
    const all = [...first, ...second];
    await postEvents(collector, cookies, [...all, ...third]);
    sent.push(...all, ...third);
    await loadedAll(third);

    // B stops answering (SIGSTOP) with what it just fetched in hand, maybe mid-batch: past its
    // session timeout C takes B's partitions over and loads them; B, continued, finds its
    // partitions gone or its checkpoint versions taken and must not write over C.
    const fourth = fresh('e', 3);
    await postEvents(collector, cookies, fourth);
    b.kill('SIGSTOP');
    const fifth = fresh('f', 2);
    await postEvents(collector, cookies, [...fourth, ...fifth]);
    sent.push(...fourth, ...fourth, ...fifth);
    await loadedAll(fifth);
    b.kill('SIGCONT');

    // Sent after the retransmits in each user's partition: once these are in, so are they.
    const last = fresh('d', 2);
    await postEvents(collector, cookies, last);
    sent.push(...last);
    await loadedAll(last);

    const expected = new Map<string, number>();
    for (const e of sent) expected.set(e.eid, 1);
    const counts = await eventIdCounts(env.WEBCUBE_DATA_DIR!);
    const wrong = [...expected.keys()].filter((id) => counts.get(id) !== 1).map((id) => [id, counts.get(id) ?? 0]);
    assert.deepEqual({ wrong: wrong.slice(0, 5), wrongCount: wrong.length, rows: [...counts.values()].reduce((s, n) => s + n, 0) },
      { wrong: [], wrongCount: 0, rows: expected.size });
    assert.equal(sent.length - expected.size, again.length + all.length + fourth.length, 'the retransmits were sent');
    b.kill('SIGTERM'); c.kill('SIGTERM');
    await Promise.all([waitForExit(b), waitForExit(c)]);
  } finally {
    await collector.close();
  }
});
