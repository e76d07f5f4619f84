// The loader: consumes the collector's topic in a consumer group and writes each partition's
// records to Parquet through the collector's own writer (enrichment workers, bad rows, seeded part
// names, dedupe against the partition's own history, partition-dedupe.ts), then publishes the
// partition's checkpoint in the sink (which fences off a loader that lost the partition) and only
// then commits the Kafka offset. A batch is one partition's offset range [from, to]; its files are named from
// that range (partition-checkpoint.ts), so a batch re-read after SIGKILL, a rebalance or a broker
// restart is either skipped (its checkpoint moved past it) or rewritten under the same names.
import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Consumer, stringDeserializers, type Message, type MessagesStream } from '@platformatic/kafka';
import type { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { openSink } from '../sinks/open-sink.ts';
import { EnrichPool } from '../storage/enrich-thread.ts';
import { openWriterDb } from '../storage/event-store.ts';
import { writeBatch } from '../storage/write-batch.ts';
import { partitionSwaps, registerDays } from '../compact/partition-swap.ts';
import { kafkaClientOptions } from '../kafka/kafka-config.ts';
import type { LoaderConfig } from './loader-config.ts';
import { checkpointKey, idsPrefix, publishCheckpoint, readCheckpoint, type Checkpoint, type IdsState } from './partition-checkpoint.ts';
import { PartitionDedupe } from './partition-dedupe.ts';
import { stalledPartitions, type PartitionProgress } from './partition-watchdog.ts';

type Record = Message<string, string, string, string>;

export interface LoaderStats {
  readonly batchesWritten: number; readonly batchesFenced: number; readonly recordsLoaded: number; readonly recordsSkipped: number;
  readonly filesWritten: number; readonly eventsWritten: number; readonly duplicatesDropped: number; readonly badRows: number;
}

export class KafkaLoader {
  private readonly buffers = new Map<number, Record[]>();
  private buffered = 0;
  private flushing: Promise<void> | null = null;
  private readonly timer: NodeJS.Timeout;
  private closing = false;
  private lastError = '';
  /** Scratch names are this loader's own: loaders of one group may share the data root's staging dir. */
  private readonly id = randomUUID().slice(0, 8);
  /** Each partition's dedupe history, loaded from the sink when the partition comes to this loader. */
  private readonly dedupes = new Map<number, PartitionDedupe>();
  /** When each partition last received a record or had a batch loaded or skipped (the watchdog's clock). */
  private readonly activity = new Map<number, number>();
  /** Partitions the watchdog rewound that have not moved since: a second miss means the stream stopped fetching. */
  private readonly rewound = new Set<number>();
  /** The newest checkpoint `next` this loader read or published per partition. */
  private readonly knownNext = new Map<number, bigint>();
  private readonly watchdog: NodeJS.Timeout;
  private watching = false;
  private watchError = '';
  /** The newest loaded record per partition whose offset is not committed yet, and the commit under way. */
  private readonly toCommit = new Map<number, Record>();
  private committing: Promise<void> | null = null;
  private readonly counters = { batchesFenced: 0, batchesWritten: 0, recordsLoaded: 0, recordsSkipped: 0, filesWritten: 0, eventsWritten: 0, duplicatesDropped: 0, badRows: 0 };

  private constructor(private readonly config: LoaderConfig, private readonly consumer: Consumer<string, string, string, string>,
    private stream: MessagesStream<string, string, string, string>, private readonly sink: Sink,
    private readonly db: DuckDBInstance, private readonly conn: DuckDBConnection,
    private readonly enricher: EnrichPool, private readonly scratch: string) {
    consumer.on('consumer:group:join', () => {
      this.forgetPositions();
      // The stream starts every partition afresh: the watchdog's clock does too.
      for (const partition of this.owned() ?? []) this.moved(partition);
      process.stderr.write(`webcube loader: joined group ${config.groupId} (generation ${consumer.generationId}), partitions of ${config.kafka.topic}: ${[...this.owned() ?? []].join(', ') || 'none'}\n`);
    });
    this.attach(stream);
    this.timer = setInterval(() => this.kick(), config.flushMs);
    this.watchdog = setInterval(() => this.watch(), stallMs(config) / 3);
  }

  static async open(config: LoaderConfig): Promise<KafkaLoader> {
    await mkdir(config.stateDir, { recursive: true });
    const { db, conn } = await openWriterDb(join(config.stateDir, 'dedupe.duckdb'), config.storage.writerThreads).catch((e: unknown) => {
      throw new Error(`LOADER_STATE_DIR: cannot open the dedupe index in ${config.stateDir} (${(e as Error).message}); give each loader its own state dir`);
    });
    const sink = await openSink(config.storage);
    const scratch = join(config.stateDir, 'scratch');
    await rm(scratch, { recursive: true, force: true });
    await mkdir(scratch, { recursive: true });
    const enricher = new EnrichPool(config.enrich, config.storage.enrichWorkers);
    enricher.warm();
    const consumer = new Consumer<string, string, string, string>({
      ...kafkaClientOptions(config.kafka, 'loader'), groupId: config.groupId, deserializers: stringDeserializers,
      sessionTimeout: 10_000, heartbeatInterval: 1000, rebalanceTimeout: 30_000, maxWaitTime: 500, autocreateTopics: true,
      // A JoinGroup answer waits for the whole group to rejoin, up to the rebalance timeout.
      timeout: 45_000, retries: 5, retryDelay: 500,
    });
    const stream = await joinGroup(consumer, config.kafka.topic);
    return new KafkaLoader(config, consumer, stream, sink, db, conn, enricher, scratch);
  }

  /** @platformatic/kafka destroys the stream when a fetch fails past its retries (a broker restart
   *  outlasts them): a loader that only logged that would stop loading for good. It opens a new
   *  stream, which starts at the committed offsets; what was buffered comes again from there, and
   *  what was written meanwhile is skipped by the checkpoint. */
  private attach(stream: MessagesStream<string, string, string, string>): void {
    this.stream = stream;
    stream.on('data', (m: Record) => this.receive(m));
    stream.on('error', (e: Error) => process.stderr.write(`webcube loader: consumer error (reopening the stream): ${e.message}\n`));
    stream.once('close', () => {
      if (this.closing) return;
      this.buffers.clear();
      this.buffered = 0;
      void joinGroup(this.consumer, this.config.kafka.topic).then((next) => {
        if (this.closing) void next.close();
        else this.attach(next);
      });
    });
  }

  /** After every (re)join the stream must start each assigned partition at the group's committed
   *  offset, or the earliest one when none is committed. @platformatic/kafka only applies a committed
   *  offset that exists: for a partition nobody has committed yet it keeps the position this stream
   *  reached when it last held the partition, so records it fetched then (and this loader dropped at
   *  the revocation) would never be fetched again. Dropping the topic's positions here, synchronously
   *  in the join event and before the stream's own asynchronous offset refresh assigns them, makes
   *  the refresh seed them afresh (committed, else earliest). */
  private forgetPositions(): void {
    const prefix = `${this.config.kafka.topic}:`;
    for (const key of [...this.stream.offsetsToFetch.keys()]) if (key.startsWith(prefix)) this.stream.offsetsToFetch.delete(key);
  }

  private receive(m: Record): void {
    this.moved(m.partition);
    let list = this.buffers.get(m.partition);
    if (!list) this.buffers.set(m.partition, list = []);
    const last = list.at(-1);
    if (last && m.offset <= last.offset) {
      // The stream went back to the committed offset after a rejoin: keep one copy of each offset.
      const keep = list.filter((r) => r.offset < m.offset);
      this.buffered -= list.length - keep.length;
      this.buffers.set(m.partition, list = keep);
    }
    list.push(m);
    this.buffered += 1;
    // Bounded memory: stop fetching until the flush has written what is here.
    if (this.buffered >= this.config.flushRecords) {
      this.stream.pause();
      this.kick();
    }
  }

  stats(): LoaderStats {
    return Object.freeze({ ...this.counters });
  }

  /** Records the group has not loaded yet, per partition (log end − committed offset). */
  async lag(): Promise<Map<number, bigint>> {
    const out = new Map<number, bigint>();
    const lags = await this.consumer.getLag({ topics: [this.config.kafka.topic] });
    (lags.get(this.config.kafka.topic) ?? []).forEach((lag, partition) => { if (lag >= 0n) out.set(partition, lag); });
    return out;
  }

  private kick(): void {
    if (this.flushing || this.closing) return;
    this.flushing = this.flushOnce().then(() => { this.lastError = ''; }, (e: unknown) => {
      const message = e instanceof Error ? e.message : String(e);
      if (message !== this.lastError) process.stderr.write(`webcube loader: writing a batch failed, will retry: ${message}\n`);
      this.lastError = message;
    }).finally(() => {
      this.flushing = null;
      if (!this.closing && this.buffered < this.config.flushRecords && this.stream.isPaused()) this.stream.resume();
    });
  }

  /** Each partition's buffered records in turn; a batch that fails goes back to the front of its buffer. */
  async flushOnce(): Promise<void> {
    const owned = this.owned();
    if (owned) {
      for (const [partition, dedupe] of [...this.dedupes]) {
        if (owned.has(partition)) continue;
        this.dedupes.delete(partition);
        await dedupe.drop();
      }
    }
    for (const [partition, records] of [...this.buffers]) {
      if (records.length === 0) continue;
      // Asked now, not once per flush: a rebalance during this flush's earlier batches may have given
      // the partition (back) to this loader, and the records in hand are the ones its stream fetched
      // since; dropping them on an older answer would leave the stream past records nobody loads.
      const ownedNow = this.owned();
      if (ownedNow && !ownedNow.has(partition)) {
        // Revoked in a rebalance: its new owner reads these records again from the committed offset.
        this.buffers.delete(partition);
        this.buffered -= records.length;
        continue;
      }
      this.buffers.set(partition, []);
      this.buffered -= records.length;
      try {
        const left = await this.loadPartition(partition, records);
        if (left.length < records.length) this.moved(partition);
        if (left.length > 0) this.putBack(partition, left);
      } catch (e) {
        this.putBack(partition, records);
        throw e;
      }
    }
  }

  private moved(partition: number): void {
    this.activity.set(partition, Date.now());
    this.rewound.delete(partition);
  }

  /** Rewinds to its checkpoint every owned partition with records waiting in Kafka that has not
   *  moved for a while (partition-watchdog.ts); if a rewound partition still does not move, the
   *  stream itself stopped fetching and is reopened (it restarts from the committed offsets). */
  private watch(): void {
    const owned = this.owned();
    if (this.watching || this.flushing || this.closing || !owned || owned.size === 0) return;
    this.watching = true;
    void this.findStalled(owned).then((stalled) => {
      if (this.closing || this.flushing) return;
      const topic = this.config.kafka.topic;
      const again = stalled.filter((p) => this.rewound.has(p.partition));
      if (again.length > 0) {
        process.stderr.write(`webcube loader: partition(s) ${again.map((p) => p.partition).join(', ')} still not fetched after a rewind; reopening the consumer stream\n`);
        for (const p of again) this.moved(p.partition);
        void this.stream.close();
        return;
      }
      for (const p of stalled) {
        const position = this.stream.offsetsToFetch.get(`${topic}:${p.partition}`);
        process.stderr.write(`webcube loader: partition ${p.partition} has ${p.end - p.next} record(s) in Kafka past its checkpoint (offset ${p.next}) and nothing came for ${Math.round(p.idleMs / 1000)} s (fetch position ${position ?? 'none'}, generation ${this.consumer.generationId}); fetching again from ${p.next}\n`);
        const held = this.buffers.get(p.partition);
        if (held) { this.buffered -= held.length; this.buffers.delete(p.partition); }
        this.stream.offsetsToFetch.set(`${topic}:${p.partition}`, p.next);
        this.activity.set(p.partition, Date.now());
        this.rewound.add(p.partition);
      }
      // A stream we did not pause for a full buffer: pause and resume restart its fetch loop.
      if (stalled.length > 0 && !this.stream.isPaused()) { this.stream.pause(); this.stream.resume(); }
      this.watchError = '';
    }).catch((e: unknown) => {
      const message = (e as Error).message;
      if (message !== this.watchError) process.stderr.write(`webcube loader: checking partition progress failed (will retry): ${message}\n`);
      this.watchError = message;
    }).finally(() => { this.watching = false; });
  }

  private async findStalled(owned: Set<number>): Promise<PartitionProgress[]> {
    const topic = this.config.kafka.topic;
    const ends = (await this.consumer.listOffsets({ topics: [topic] })).get(topic) ?? [];
    const now = Date.now();
    const progress: PartitionProgress[] = [];
    for (const partition of owned) {
      const since = this.activity.get(partition);
      if (since === undefined) { this.activity.set(partition, now); continue; }
      const end = ends[partition];
      const known = this.knownNext.get(partition);
      // Caught up as far as this loader knows, or moving: no need to read the checkpoint (on S3, a GET).
      if (end === undefined || (known !== undefined && end <= known) || now - since < stallMs(this.config)) continue;
      const cp = await readCheckpoint(this.sink, checkpointKey(this.config.groupId, topic, partition));
      // A partition never loaded has no checkpoint to rewind to: its first records start it.
      if (!cp) continue;
      this.knownNext.set(partition, BigInt(cp.next));
      progress.push({ partition, end, next: BigInt(cp.next), idleMs: now - since });
    }
    return stalledPartitions(progress, stallMs(this.config));
  }

  /** The partitions the group gave this loader, or undefined while it knows none yet. */
  private owned(): Set<number> | undefined {
    const mine = this.consumer.assignments?.find((a) => a.topic === this.config.kafka.topic);
    return mine ? new Set(mine.partitions) : undefined;
  }

  private putBack(partition: number, records: Record[]): void {
    this.buffers.set(partition, [...records, ...(this.buffers.get(partition) ?? [])]);
    this.buffered += records.length;
  }

  /** Writes one batch; returns the records left for a later batch (beyond a pending range). */
  private async loadPartition(partition: number, records: Record[]): Promise<Record[]> {
    const topic = this.config.kafka.topic;
    const key = checkpointKey(this.config.groupId, topic, partition);
    const cp = await readCheckpoint(this.sink, key);
    const dedupe = this.dedupeFor(partition, key);
    await dedupe.sync(cp?.ids);
    const next = BigInt(cp?.next ?? '0');
    this.knownNext.set(partition, next);
    let batch = records.filter((r) => r.offset >= next);
    if (cp && batch.length > 0 && batch[0]!.offset > next) {
      // Records [next, first) were never fetched by this loader: writing on would move the
      // checkpoint past them and lose them. Fetch the partition again from the checkpoint.
      process.stderr.write(`webcube loader: partition ${partition} resumed at offset ${batch[0]!.offset} but its checkpoint says ${next} is the first not loaded; fetching again from ${next}\n`);
      this.stream.offsetsToFetch.set(`${topic}:${partition}`, next);
      this.counters.recordsSkipped += records.length;
      return [];
    }
    this.counters.recordsSkipped += records.length - batch.length;
    let left: Record[] = [];
    const pending = cp?.pending;
    const replay = pending !== undefined && batch.length > 0 && batch[0]!.offset === BigInt(pending.from);
    if (replay) {
      // A loader died (or lost the partition) while writing exactly this range: write it again as
      // it was, with the ids it had seen, no more, no less.
      const to = BigInt(pending.to);
      left = batch.filter((r) => r.offset > to);
      batch = batch.filter((r) => r.offset <= to);
      if (batch.at(-1)!.offset < to) return [...batch, ...left];
    }
    if (batch.length === 0) {
      // Loaded already (by this loader before a restart, or by another before a rebalance).
      if (records.length > 0) this.commit(records.at(-1)!);
      return left;
    }
    const from = batch[0]!.offset;
    const to = batch.at(-1)!.offset;
    let base = cp;
    if (!replay) {
      const started = { next: String(next > from ? next : from), pending: { from: String(from), to: String(to) }, ...this.owner(), ...(cp?.ids ? { ids: cp.ids } : {}) };
      base = await this.publish(partition, key, cp, started);
      if (!base) return this.fenced(partition, key, dedupe);
    }
    const seed = `kafka/${topic}/${partition}/${from}-${to}`;
    const ids = await this.write(seed, `${partition}-${from}`, batch, dedupe);
    if (!await this.publish(partition, key, base, { next: String(to + 1n), ...this.owner(), ...(ids ? { ids } : {}) })) return this.fenced(partition, key, dedupe);
    await dedupe.applied(ids);
    this.knownNext.set(partition, to + 1n);
    this.commit(batch.at(-1)!);
    this.counters.batchesWritten += 1;
    this.counters.recordsLoaded += batch.length;
    return left;
  }

  private dedupeFor(partition: number, key: string): PartitionDedupe {
    let d = this.dedupes.get(partition);
    if (!d) {
      const limits = { windowMs: this.config.storage.dedupeWindowMs, maxIds: this.config.storage.dedupeMaxIds };
      this.dedupes.set(partition, d = new PartitionDedupe(this.conn, this.sink, this.scratch, limits, partition, idsPrefix(key)));
    }
    return d;
  }

  private owner(): { owner: { member: string; generation: number } } {
    return { owner: { member: this.consumer.memberId ?? this.id, generation: this.consumer.generationId } };
  }

  /** Publishes the partition's next checkpoint version if this loader still owns the partition
   *  and nobody published since `prev` (fencing: see partition-checkpoint.ts). */
  private async publish(partition: number, key: string, prev: Checkpoint | undefined, c: Omit<Checkpoint, 'seq'>): Promise<Checkpoint | undefined> {
    const owned = this.owned();
    if (owned && !owned.has(partition)) return undefined;
    return await publishCheckpoint(this.sink, key, prev, c) ? { ...c, seq: (prev?.seq ?? 0) + 1 } : undefined;
  }

  /** Another loader took the partition over: what this one holds of it is the new owner's to load.
   *  Should the partition still be this loader's (the other was the stale one and lost it since),
   *  it fetches again from the checkpoint, or what it dropped would come back only with the next
   *  record (the gap check in loadPartition). */
  private async fenced(partition: number, key: string, dedupe: PartitionDedupe): Promise<Record[]> {
    process.stderr.write(`webcube loader: partition ${partition} was taken over by another loader while this one wrote a batch; dropping the batch (the new owner loads it)\n`);
    await dedupe.discard();
    this.counters.batchesFenced += 1;
    if (this.owned()?.has(partition)) {
      const cp = await readCheckpoint(this.sink, key);
      this.stream.offsetsToFetch.set(`${this.config.kafka.topic}:${partition}`, BigInt(cp?.next ?? '0'));
    }
    return [];
  }

  /** Queues the offset after `last` for the group. A commit is only where a partition's next owner
   *  starts reading (the checkpoint says what is loaded), so flushing never waits for one: a commit
   *  refused for a stale generation makes the client rejoin the group and retry, which can take a
   *  rebalance timeout per attempt, and a flush held that long loads nothing meanwhile. */
  private commit(last: Record): void {
    const queued = this.toCommit.get(last.partition);
    if (!queued || queued.offset < last.offset) this.toCommit.set(last.partition, last);
    this.commitSoon();
  }

  private commitSoon(): void {
    if (this.committing || this.toCommit.size === 0) return;
    this.committing = this.commitQueued().finally(() => { this.committing = null; this.commitSoon(); });
  }

  private async commitQueued(): Promise<void> {
    for (const [partition, last] of this.toCommit) {
      this.toCommit.delete(partition);
      // The partition's new owner commits it; a commit from here would only make this loader rejoin.
      if (this.owned() && !this.owned()!.has(partition)) continue;
      try {
        await last.commit();
      } catch (e) {
        process.stderr.write(`webcube loader: committing partition ${partition} offset ${last.offset + 1n} failed (the checkpoint covers it): ${(e as Error).message}\n`);
      }
    }
  }

  /** The collector's flush path for one batch: raw records → enrichment worker → dedupe against
   *  the partition's history → Parquet; returns the partition's ids state to publish with it. */
  private async write(seed: string, name: string, batch: readonly Record[], dedupe: PartitionDedupe): Promise<IdsState | undefined> {
    const segment = join(this.scratch, `${this.id}-${name}.ndjson`);
    await writeFile(segment, batch.map((r) => (r.value.endsWith('\n') ? r.value : `${r.value}\n`)).join(''));
    const prefix = join(this.sink.stagingDir, `loader-${this.id}-${name}`);
    const enriched = await this.enricher.run(segment, prefix);
    try {
      const input = { ...(enriched.parquet ? { parquet: enriched.parquet } : {}), ...(enriched.badRows ? { badRows: enriched.badRows } : {}) };
      const nowMs = Date.now();
      const r = await writeBatch(this.conn, this.sink, input, {
        seed, dedupe, withBadRows: enriched.hasBad, nowMs, ...(enriched.dt !== undefined ? { dt: enriched.dt } : {}),
        onEventFiles: (keys) => registerDays(partitionSwaps(this.config.storage.compactHiveTables, this.config.storage.compactHiveMetastore), keys),
      });
      const ids = await dedupe.prepare('wc_stage', r.keysAllNew, name, nowMs);
      await this.conn.run('DROP TABLE IF EXISTS wc_stage');
      this.counters.filesWritten += r.files.length;
      this.counters.eventsWritten += r.eventsWritten;
      this.counters.duplicatesDropped += r.duplicatesDropped;
      this.counters.badRows += r.badRows;
      return ids;
    } finally {
      for (const path of [segment, enriched.parquet, enriched.badRows]) if (path) await rm(path, { force: true });
    }
  }

  /** Writes what is buffered, then leaves the group (its partitions go to the other loaders). */
  async close(): Promise<void> {
    if (this.closing) return;
    clearInterval(this.timer);
    clearInterval(this.watchdog);
    this.stream.pause();
    while (this.flushing) await this.flushing;
    this.closing = true;
    this.stream.pause();
    await this.flushOnce().catch((e: unknown) => process.stderr.write(`webcube loader: final write failed (the records stay in Kafka): ${(e as Error).message}\n`));
    while (this.committing) await this.committing;
    await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
    await this.enricher.close();
    await this.sink.close();
    this.conn.closeSync();
    this.db.closeSync();
  }
}

/** How long a partition with records waiting may go without moving before the loader rewinds it. */
const stallMs = (config: LoaderConfig) => Math.max(3_000, 3 * config.flushMs);

/** Joins the group, waiting out a broker that is down or a rebalance that outlasts the client's
 *  retries: a loader started before Kafka, or beside a loader that was just killed, keeps trying. */
async function joinGroup(consumer: Consumer<string, string, string, string>, topic: string): Promise<MessagesStream<string, string, string, string>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await consumer.consume({ topics: [topic], autocommit: false, mode: 'committed', fallbackMode: 'earliest' });
    } catch (e) {
      process.stderr.write(`webcube loader: joining the consumer group failed (attempt ${attempt}, retrying in 2 s): ${(e as Error).message}\n`);
      await new Promise((r) => setTimeout(r, 2000));
    }
  }
}
