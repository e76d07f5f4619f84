// Collector throughput and ack latency: batched tp2 POSTs (25 events, keep-alive, several
// connections) against the real collector acking after fsync, beside a bare node:http server
// answering the same requests in the same run. Each server runs in its own process; the load
// comes from wrk when installed (a Node client in this process otherwise, which caps the figure).
import { spawn, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { BenchResult } from './run.ts';
import { hasWrk, wrkLoad } from './_collector-wrk.ts';

const EVENTS_PER_REQUEST = 25;
const CONNECTIONS = 16;
const WRK_CONNECTIONS = 32;
const SECONDS = 3;
/** The collector's own load runs longer: long enough that the flush must keep up, not just buffer. */
const COLLECTOR_SECONDS = Number(process.env.WEBCUBE_BENCH_COLLECTOR_SECONDS ?? 20);
const root = new URL('..', import.meta.url).pathname;
/** Another checkout's collector (with node_modules) to compare against, e.g. the last commit's. */
const collectorRoot = process.env.WEBCUBE_BENCH_COLLECTOR_ROOT ? `${process.env.WEBCUBE_BENCH_COLLECTOR_ROOT.replace(/\/$/, '')}/` : root;
const UA = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

const BARE = `import { createServer } from 'node:http';
const s = createServer({ keepAlive: true }, (req, res) => { const c = []; req.on('data', (d) => c.push(d));
  req.on('end', () => { JSON.parse(Buffer.concat(c).toString()); res.writeHead(200, { 'Content-Type': 'text/plain' }); res.end('ok'); }); });
s.listen(0, '127.0.0.1', () => console.log('listening on http://127.0.0.1:' + s.address().port));
process.on('SIGTERM', () => s.close(() => process.exit(0)));`;

export function startProcess(args: string[], env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, args, { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m) resolve({ child, url: m[1] });
    });
    child.once('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
  });
}

export function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
}

/** The flush's two stages alone on a segment of this bench's requests, CPU per event (least of 3
 *  runs): the worker's (validate + enrich + append + Parquet encode) beside enrichment alone, and
 *  the main thread's (dedupe keys + publish) beside DuckDB reading every column of the same file.
 *  Steadier than the figures under load on a shared machine, and what a change to either moves. */
const STAGES = `
const src = process.env.WEBCUBE_STAGE_SRC, seg = process.env.WEBCUBE_STAGE_SEG, dir = process.env.WEBCUBE_STAGE_DIR;
const { rmSync, mkdirSync, copyFileSync } = await import('node:fs');
const { DuckDBInstance } = await import('@duckdb/node-api');
const { createEnrichContext } = await import(src + 'process-event.ts');
const { enrichSegment } = await import(src + 'storage/enrich-segment.ts');
const { segmentToParquet } = await import(src + 'storage/segment-to-parquet.ts');
const { openWriterDb } = await import(src + 'storage/event-store.ts');
const { DedupeIndex } = await import(src + 'storage/dedupe-index.ts');
const { writeBatch } = await import(src + 'storage/write-batch.ts');
const { openSink } = await import(src + 'sinks/open-sink.ts');
const { loadStorageConfig } = await import(src + 'storage/index.ts');
const cpu = () => { const u = process.cpuUsage(); return u.user + u.system; };
// f may return the CPU it wants counted (its setup excluded); otherwise the whole call counts.
const least = async (f) => { let best = Infinity; for (let i = 0; i < 3; i++) { const c = cpu(); const t = await f(i); best = Math.min(best, typeof t === 'number' ? t : cpu() - c); } return best; };
const ctx = createEnrichContext({});
const workerDb = await (await DuckDBInstance.create(':memory:', { threads: '1' })).connect();
let result;
const worker = await least(() => segmentToParquet(workerDb, seg, dir + '/stage', ctx, Date.now()).then((r) => { result = r; }));
const workerFloor = await least(() => { enrichSegment(seg, { good() {}, bad() {} }, ctx); });
let duckFloor = 0;
const duck = await least(async (i) => {
  const root = dir + '/stage-db-' + i; rmSync(root, { recursive: true, force: true }); mkdirSync(root, { recursive: true });
  const { db, conn } = await openWriterDb(root + '/dedupe.duckdb', 1);
  const sink = await openSink(loadStorageConfig({ WEBCUBE_DATA_DIR: root }));
  const dedupe = await DedupeIndex.open(conn, { windowMs: 86400000, maxIds: 4000000 });
  const parquet = sink.stagingDir + '/stage.parquet';
  copyFileSync(result.parquet, parquet);
  const f = cpu();
  // Every column read (hashing each value, so none is pruned), nothing written.
  await conn.run("SELECT sum(hash(COLUMNS(*))) FROM read_parquet('" + parquet + "')");
  duckFloor = i === 0 ? cpu() - f : Math.min(duckFloor, cpu() - f);
  const c = cpu();
  const r = await writeBatch(conn, sink, { parquet }, { seed: 'stage', dedupe, withBadRows: false, nowMs: Date.now(), ...(result.dt ? { dt: result.dt } : {}) });
  await dedupe.commit('stage', 'wc_stage', Date.now(), r.keysAllNew);
  const spent = cpu() - c;
  conn.closeSync(); db.closeSync(); await sink.close();
  return spent;
});
console.log(JSON.stringify({ events: result.accepted, worker, workerFloor, duck, duckFloor }));
`;

let seq = 0;
function body(idPrefix?: string): string {
  const now = Date.now();
  const data = [];
  for (let i = 0; i < EVENTS_PER_REQUEST; i++) {
    seq += 1;
    const id = seq.toString(16).padStart(12, '0');
    const eid = idPrefix ? `${idPrefix}-0000-4000-8000-${i.toString(16).padStart(12, '0')}` : `bbbbbbbb-0000-4000-8000-${id}`;
    data.push({ e: i % 5 === 0 ? 'pv' : 'pp', p: 'web', tv: 'js-4.10.1', aid: 'bench', eid,
      duid: 'd0d0d0d0-0000-4000-8000-000000000001', sid: 'e0e0e0e0-0000-4000-8000-000000000001', vid: '1',
      url: `https://bench.example/page/${i}?utm_source=bench`, refr: 'https://www.google.com/search?q=bench', page: 'Bench',
      dtm: String(now), stm: String(now), res: '1920x1080', vp: '1280x800', lang: 'en-US', tz: 'Europe/Berlin', cookie: '1', cs: 'UTF-8',
      pp_mix: '0', pp_max: '0', pp_miy: '0', pp_may: '400' });
  }
  return JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data });
}

function post(agent: Agent, url: URL, payload: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ agent, host: url.hostname, port: url.port, method: 'POST', path: '/com.snowplowanalytics.snowplow/tp2',
      headers: { 'Content-Type': 'application/json; charset=UTF-8', 'Content-Length': Buffer.byteLength(payload), 'User-Agent': UA, 'X-Forwarded-For': '8.8.8.8' } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode ?? 0)); });
    req.on('error', reject);
    req.end(payload);
  });
}

export async function load(target: string, dir: string, viaWrk: boolean, seconds = SECONDS): Promise<{ eventsPerSecond: number; p50: number; p99: number; errors: number }> {
  if (viaWrk) {
    const headers = { 'Content-Type': 'application/json; charset=UTF-8', 'User-Agent': UA, 'X-Forwarded-For': '8.8.8.8' };
    return wrkLoad(dir, target, body('CCCCCCCC'), headers, EVENTS_PER_REQUEST, WRK_CONNECTIONS, seconds + 2);
  }
  const url = new URL(target);
  const agent = new Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  // Warm-up (JIT, caches, connections) outside the measured window.
  const warm = Date.now() + 500;
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => { while (Date.now() < warm) await post(agent, url, body()); }));
  const latencies: number[] = [];
  let errors = 0;
  const end = Date.now() + seconds * 1000;
  const started = process.hrtime.bigint();
  await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
    while (Date.now() < end) {
      const payload = body();
      const t0 = process.hrtime.bigint();
      const status = await post(agent, url, payload);
      if (status !== 200) errors += 1;
      else latencies.push(Number(process.hrtime.bigint() - t0) / 1e6);
    }
  }));
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
  return { eventsPerSecond: (latencies.length * EVENTS_PER_REQUEST) / elapsed, p50: pct(0.5), p99: pct(0.99), errors };
}

const STAGE_REQUESTS = 2000;

interface StageFigures { events: number; worker: number; workerFloor: number; duck: number; duckFloor: number }

async function stageFigures(dir: string): Promise<StageFigures> {
  const { encodeRawRecord } = await import(`${collectorRoot}collector/src/protocol/raw-record.ts`) as typeof import('../collector/src/protocol/raw-record.ts');
  let segment = '';
  for (let i = 0; i < STAGE_REQUESTS; i++) {
    segment += encodeRawRecord({ t: Date.now(), src: 'tp2', ip: '8.8.8.8', ua: UA, nuid: 'c0c0c0c0-0000-4000-8000-000000000001' }, body());
  }
  const seg = join(dir, 'stage-segment.ndjson');
  await writeFile(seg, segment);
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', STAGES], {
    cwd: root, stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, WEBCUBE_STAGE_SRC: `${collectorRoot}collector/src/`, WEBCUBE_STAGE_SEG: seg, WEBCUBE_STAGE_DIR: dir },
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => { out += d.toString(); });
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`stage bench exited with ${code}: ${out}`);
  return JSON.parse(out.trim().split('\n').pop()!) as StageFigures;
}

interface Scraped { received: number; written: number; spoolEvents: number }

export async function scrape(url: string): Promise<Scraped> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const get = (name: string) => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
  return { received: get('webcube_collector_events_received_total'), written: get('webcube_collector_events_written_total'),
    spoolEvents: get('webcube_collector_spool_events') };
}

/** CPU seconds per thread of the child, from /proc: unlike wall-clock figures these hold on a machine
 *  that others load too. Threads are all named "node", so the main thread is told by its id. */
async function threadCpu(child: ChildProcess): Promise<Map<number, number>> {
  const tick = 100; // USER_HZ on Linux
  const out = new Map<number, number>();
  for (const tid of await readdir(`/proc/${child.pid}/task`)) {
    const stat = await readFile(`/proc/${child.pid}/task/${tid}/stat`, 'utf8').catch(() => '');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    out.set(Number(tid), (Number(f[11]) + Number(f[12])) / tick);
  }
  return out;
}

/** CPU between two readings: the main thread (requests, spool, publishing) and all the others
 *  (enrichment workers, their DuckDB encoders, I/O). */
function cpuSplit(pid: number, before: Map<number, number>, after: Map<number, number>): { mainS: number; restS: number } {
  let mainS = 0, restS = 0;
  for (const [tid, s] of after) {
    const d = s - (before.get(tid) ?? 0);
    if (tid === pid) mainS = d;
    else restS += d;
  }
  return { mainS, restS };
}

export async function bench(): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-bench-collector-'));
  const viaWrk = await hasWrk();
  const client = viaWrk ? `wrk, ${WRK_CONNECTIONS} conns` : `node client, ${CONNECTIONS} conns`;
  try {
    const bare = await startProcess(['--input-type=module', '-e', BARE], process.env);
    const baseline = await load(bare.url, dir, viaWrk);
    await stop(bare.child);
    // The collector module directly (not the CLI), so the figure depends only on the collector's own code.
    const run = `import { collectorCommand } from ${JSON.stringify(`${collectorRoot}collector/src/collector-command.ts`)};
      await collectorCommand([], process.env);`;
    const collector = await startProcess(['--import', 'tsx', '--input-type=module', '-e', run], {
      ...process.env, WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_TRUST_PROXY: 'true',
      COLLECTOR_DISK_MIN_FREE_BYTES: '0',
    });
    const before = { ...(await scrape(collector.url)), cpu: await threadCpu(collector.child), at: performance.now() };
    const ours = await load(collector.url, dir, viaWrk, COLLECTOR_SECONDS);
    const after = { ...(await scrape(collector.url)), cpu: await threadCpu(collector.child), at: performance.now() };
    const drainStart = performance.now();
    let left = after.spoolEvents;
    while (left > 0 && performance.now() - drainStart < 120_000) {
      await new Promise((r) => setTimeout(r, 200));
      left = (await scrape(collector.url)).spoolEvents;
    }
    const drainSeconds = (performance.now() - drainStart) / 1000;
    // Until the backlog is written, so every acked event's enrichment and Parquet write is counted.
    const drained = { ...(await scrape(collector.url)), cpu: await threadCpu(collector.child) };
    await stop(collector.child);
    const duringLoad = cpuSplit(collector.child.pid!, before.cpu, after.cpu);
    const whole = cpuSplit(collector.child.pid!, before.cpu, drained.cpu);
    const written = drained.written - before.written;
    const received = after.received - before.received;
    const loadSeconds = (after.at - before.at) / 1000;
    // Same collector with a store that acks at once: separates receive+validate+enrich from spool+fsync.
    const src = (f: string) => JSON.stringify(`${collectorRoot}collector/src/${f}`);
    const noStore = `import { loadCollectorConfig } from ${src('config.ts')}; import { startCollector } from ${src('collector-command.ts')};
      import { MemoryStore } from ${src('http/memory-store.ts')};
      class NoStore extends MemoryStore { async append() {} async appendRaw() {} }
      const c = await startCollector(loadCollectorConfig(process.env), { store: new NoStore() });
      console.log('listening on ' + c.url); process.on('SIGTERM', () => c.close().then(() => process.exit(0)));`;
    const enrichOnly = await startProcess(['--import', 'tsx', '--input-type=module', '-e', noStore], {
      ...process.env, WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_TRUST_PROXY: 'true' });
    const enrich = await load(enrichOnly.url, dir, viaWrk);
    await stop(enrichOnly.child);
    if (ours.errors > 0) throw new Error(`${ours.errors} collector requests failed`);
    // A baseline answering errors (a 400 for a malformed request, say) would be a cheaper server.
    if (baseline.errors > 0) throw new Error(`${baseline.errors} bare node:http requests failed`);
    const stages = await stageFigures(dir);
    const perEvent = (us: number) => us / stages.events;
    return [
      { name: `collector tp2 POST (25 ev/req, fsync ack; ${client}) events/s`, value: ours.eventsPerSecond, unit: 'events/s', baseline: { name: 'bare node:http', value: baseline.eventsPerSecond } },
      { name: 'collector ack latency p50', value: ours.p50, unit: 'ms', baseline: { name: 'bare node:http', value: baseline.p50 } },
      { name: 'collector ack latency p99', value: ours.p99, unit: 'ms', baseline: { name: 'bare node:http', value: baseline.p99 } },
      // Sustained means the flush keeps up: Parquet rows written per second of the same window, what was
      // still spooled when the load stopped, and how long the backlog took to drain after it.
      { name: 'collector written to Parquet during load events/s', value: (after.written - before.written) / loadSeconds, unit: 'events/s', baseline: { name: 'acked during load', value: received / loadSeconds } },
      { name: 'collector spool backlog at end of load', value: after.spoolEvents, unit: 'events' },
      // The figure that counts: every event acked in the window and written to Parquet, over the load
      // and the drain after it. It equals the ack rate only when the flush keeps up.
      { name: `collector sustained over ${COLLECTOR_SECONDS} s (acked and in Parquet, load + drain) events/s`, value: written / (loadSeconds + drainSeconds), unit: 'events/s', baseline: { name: 'bare node:http', value: baseline.eventsPerSecond } },
      { name: 'collector backlog drained after load in', value: drainSeconds, unit: 's' },
      { name: 'collector main-thread CPU per acked event (during load)', value: duringLoad.mainS * 1e6 / received, unit: 'µs' },
      // Load + drain: the flush's work for every event acked in the window, whenever it ran.
      { name: 'collector other threads (enrichment workers, DuckDB, I/O) CPU per written event (load + drain)', value: whole.restS * 1e6 / written, unit: 'µs' },
      { name: 'collector whole process CPU per written event (load + drain)', value: (whole.mainS + whole.restS) * 1e6 / written, unit: 'µs' },
      { name: 'stage: worker (validate + enrich + append + Parquet), CPU per event', value: perEvent(stages.worker), unit: 'µs', baseline: { name: 'enrichment alone', value: perEvent(stages.workerFloor) } },
      { name: 'stage: main-thread writer (dedupe keys + publish), CPU per event', value: perEvent(stages.duck), unit: 'µs', baseline: { name: 'DuckDB reading every column of the file', value: perEvent(stages.duckFloor) } },
      { name: 'collector without store (receive + envelope check) events/s', value: enrich.eventsPerSecond, unit: 'events/s', baseline: { name: 'bare node:http', value: baseline.eventsPerSecond } },
      { name: 'collector without store ack latency p99', value: enrich.p99, unit: 'ms', baseline: { name: 'bare node:http', value: baseline.p99 } },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
