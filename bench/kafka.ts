// Fleet mode against the local-spool path in the same run, on this machine with the broker on it:
// batched tp2 POSTs (25 events, 16 keep-alive connections, Node client) to a collector process
// with COLLECTOR_SINK=kafka and one `webcube loader` process, then to a spool collector. Figures:
// acked events/s and ack p50/p99 for each, and end-to-end events/s (acked → in Parquet). Also the
// loader's per-batch dedupe bookkeeping with the history per partition in the sink against the
// loader-local index it replaced (_kafka-dedupe.ts).
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { DuckDBInstance } from '@duckdb/node-api';
import type { BenchResult } from './run.ts';
import { startKafka, stopKafka } from '../bin/stack/kafka-broker.ts';
import { dedupeCost } from './_kafka-dedupe.ts';

const EVENTS_PER_REQUEST = 25;
const CONNECTIONS = 16;
const SECONDS = Number(process.env.WEBCUBE_BENCH_KAFKA_SECONDS ?? 15);
const root = new URL('..', import.meta.url).pathname;

function startWebcube(command: string, env: NodeJS.ProcessEnv, ready: RegExp): Promise<{ child: ChildProcess; match: RegExpExecArray }> {
  const child = spawn(process.execPath, [join(root, 'bin', 'webcube.js'), command], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => { out += d.toString(); const m = ready.exec(out); if (m) resolve({ child, match: m }); });
    child.once('exit', (code) => reject(new Error(`webcube ${command} exited early (${code}): ${out}`)));
  });
}

const stop = (child: ChildProcess) => new Promise<void>((resolve) => { if (child.exitCode !== null) { resolve(); return; } child.once('exit', () => resolve()); child.kill('SIGTERM'); });

function body(seq: number): string {
  const now = Date.now();
  const data = Array.from({ length: EVENTS_PER_REQUEST }, (_, i) => ({
    e: 'pv', p: 'web', tv: 'js-4.0.0', aid: 'bench', eid: `00000000-0000-4000-8000-${String(seq * EVENTS_PER_REQUEST + i).padStart(12, '0')}`,
    url: `https://shop.example/p/${i}`, page: 'Bench', duid: `u-${seq % 500}`, dtm: String(now), stm: String(now),
  }));
  return JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data });
}

async function load(url: string): Promise<{ events: number; seconds: number; p50: number; p99: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const target = new URL('/com.snowplowanalytics.snowplow/tp2', url);
  const latencies: number[] = [];
  let seq = Math.floor(Math.random() * 1e9);
  let acked = 0;
  const end = performance.now() + SECONDS * 1000;
  const one = (payload: string) => new Promise<number>((resolve, reject) => {
    const req = request(target, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.once('error', reject);
    req.end(payload);
  });
  const start = performance.now();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (performance.now() < end) {
      const t = performance.now();
      const status = await one(body(seq++));
      if (status === 200) { acked += EVENTS_PER_REQUEST; latencies.push(performance.now() - t); } else await sleep(50);
    }
  }));
  const seconds = (performance.now() - start) / 1000;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  return { events: acked, seconds, p50: latencies[Math.floor(latencies.length / 2)] ?? NaN, p99: latencies[Math.floor(latencies.length * 0.99)] ?? NaN };
}

async function countParquet(dataDir: string): Promise<number> {
  const db = await DuckDBInstance.create(':memory:');
  const conn = await db.connect();
  try {
    const r = await conn.runAndReadAll(`SELECT count(*) FROM read_parquet('${join(dataDir, 'events', '**', '*.parquet')}')`).catch(() => undefined);
    return Number(r?.getRows()[0]?.[0] ?? 0);
  } finally { conn.closeSync(); db.closeSync(); }
}

/** Seconds from the start of the load until every acked event is in Parquet. */
async function loadedAfter(dataDir: string, events: number, startedAt: number): Promise<number> {
  const deadline = Date.now() + 300_000;
  while (Date.now() < deadline && await countParquet(dataDir) < events) await sleep(250);
  return (Date.now() - startedAt) / 1000;
}

async function run(name: string, env: NodeJS.ProcessEnv, withLoader: boolean) {
  const dataDir = env.WEBCUBE_DATA_DIR!;
  const loader = withLoader ? await startWebcube('loader', { ...env, LOADER_PORT: '0' }, /metrics on (\S+)/) : undefined;
  const collector = await startWebcube('collector', { ...env, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1' }, /listening on (http:\/\/\S+)/);
  try {
    const startedAt = Date.now();
    const r = await load(collector.match[1]!);
    const total = await loadedAfter(dataDir, r.events, startedAt);
    process.stderr.write(`bench kafka: ${name}: ${r.events} events acked in ${r.seconds.toFixed(1)} s, all in Parquet after ${total.toFixed(1)} s\n`);
    return { ...r, endToEnd: r.events / total };
  } finally {
    await stop(collector.child);
    if (loader) await stop(loader.child);
  }
}

export async function bench(): Promise<BenchResult[]> {
  const cost = await dedupeCost();
  const history = `${(cost.history / 1e6).toFixed(1)}M-key history`;
  const dedupe: BenchResult[] = [
    { name: `loader dedupe per batch (2,000 keys, ${history}): in the sink`, value: cost.perBatchMs, unit: 'ms', baseline: { name: 'loader-local DuckDB index', value: cost.beforeMs } },
    { name: `partition moved: loading its ${history}`, value: cost.takeoverMs, unit: 'ms', baseline: { name: 'one batch\'s bookkeeping', value: cost.perBatchMs } },
  ];
  const dir = await mkdtemp(join(tmpdir(), 'webcube-bench-kafka-'));
  const cacheDir = process.env.WEBCUBE_CACHE_DIR || join(homedir(), '.cache', 'webcube');
  const kafka = await startKafka({ cacheDir, stateRoot: join(dir, 'stack'), env: process.env });
  try {
    const common = { ...process.env, COLLECTOR_GEOIP_DB: 'none', COLLECTOR_COMPACT_EVERY_S: '0' };
    const spool = await run('spool', { ...common, WEBCUBE_DATA_DIR: join(dir, 'spool-data') }, false);
    const viaKafka = await run('kafka', { ...common, WEBCUBE_DATA_DIR: join(dir, 'kafka-data'), COLLECTOR_SPOOL_DIR: join(dir, 'kafka-spool'),
      COLLECTOR_SINK: 'kafka', KAFKA_BROKERS: kafka.brokers, KAFKA_TOPIC: 'bench', LOADER_GROUP_ID: 'bench', LOADER_FLUSH_MS: '500' }, true);
    const base = (n: string, value: number) => ({ name: `local spool: ${n}`, value });
    return [
      ...dedupe,
      { name: 'collector → Kafka (acks=all): acked events/s', value: viaKafka.events / viaKafka.seconds, unit: 'events/s', baseline: base('acked events/s', spool.events / spool.seconds) },
      { name: 'collector → Kafka: ack p50', value: viaKafka.p50, unit: 'ms', baseline: base('ack p50', spool.p50) },
      { name: 'collector → Kafka: ack p99', value: viaKafka.p99, unit: 'ms', baseline: base('ack p99', spool.p99) },
      { name: 'collector → Kafka → loader → Parquet: events/s', value: viaKafka.endToEnd, unit: 'events/s', baseline: base('events/s into Parquet', spool.endToEnd) },
    ];
  } finally {
    await stopKafka(kafka.stateDir);
    await rm(dir, { recursive: true, force: true });
  }
}
