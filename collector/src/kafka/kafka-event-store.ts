// The collector's EventStore when COLLECTOR_SINK=kafka: each request's spool line (the raw tp2
// record, or serialised events and bad rows) becomes one Kafka record, and the append resolves once
// the broker has it with acks=all. Appends that arrive while a send is in flight go out together in
// the next one (group commit, as the spool's fsync). Records are keyed by the user's network id (or
// domain id), so one user's events stay in one partition, in order. Bytes in flight are bounded: past
// KAFKA_MAX_INFLIGHT_BYTES, or when the broker does not answer within KAFKA_ACK_TIMEOUT_MS, the
// request gets 503 + Retry-After and nothing is acknowledged that Kafka did not take.
import { Producer, ProduceAcks, stringSerializers, type MessageToProduce } from '@platformatic/kafka';
import type { AtomicEvent } from '../atomic/columns.ts';
import type { BadRow, EventStore, EventStoreStats } from '../storage/index.ts';
import { StoreFullError } from '../storage/store-full-error.ts';
import { serialize } from '../storage/serialize.ts';
import { kafkaClientOptions, type KafkaConfig } from './kafka-config.ts';
import { recordKey } from './record-key.ts';

type Message = MessageToProduce<string, string, string, string>;
interface Waiter { resolve(): void; reject(e: unknown): void }

const RETRY_AFTER_S = 5;

export class KafkaEventStore implements EventStore {
  private queue: Message[] = [];
  private waiters: Waiter[] = [];
  private queuedBytes = 0;
  private sendingBytes = 0;
  private sending: Promise<void> | null = null;
  private closing = false;
  private sent = 0;
  private lastError = '';

  constructor(private readonly config: KafkaConfig, private readonly producer: Producer<string, string, string, string>) {}

  append(good: readonly AtomicEvent[], bad: readonly BadRow[]): Promise<void> {
    if (good.length === 0 && bad.length === 0) return Promise.resolve();
    const first = good[0];
    return this.enqueue(serialize(good, bad), first ? String(first.network_userid ?? first.domain_userid ?? '') : undefined, good.length);
  }

  appendRaw(record: string, events: number): Promise<void> {
    return this.enqueue(record, recordKey(record), events);
  }

  private enqueue(value: string, key: string | null | undefined, events: number): Promise<void> {
    if (this.closing) return Promise.reject(new Error('event store is closed'));
    if (this.queuedBytes + this.sendingBytes + value.length > this.config.maxInflightBytes) {
      return Promise.reject(new StoreFullError('Kafka is not keeping up (KAFKA_MAX_INFLIGHT_BYTES)', RETRY_AFTER_S));
    }
    this.queue.push({ topic: this.config.topic, value, ...(key ? { key } : {}) });
    this.queuedBytes += value.length;
    this.sent += events;
    const acked = new Promise<void>((resolve, reject) => this.waiters.push({ resolve, reject }));
    this.sending ??= this.drain();
    return acked;
  }

  /** Sends what is queued, then what queued up meanwhile, until the queue is empty. */
  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const messages = this.queue; const waiters = this.waiters; const bytes = this.queuedBytes;
      this.queue = []; this.waiters = []; this.queuedBytes = 0; this.sendingBytes = bytes;
      try {
        await withTimeout(this.producer.send({ messages }), this.config.ackTimeoutMs);
        this.lastError = '';
        for (const w of waiters) w.resolve();
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (message !== this.lastError) process.stderr.write(`webcube collector: Kafka did not take ${messages.length} records (answering 503): ${message}\n`);
        this.lastError = message;
        const refusal = new StoreFullError(`Kafka is unavailable: ${message}`, RETRY_AFTER_S);
        for (const w of waiters) w.reject(refusal);
      } finally {
        this.sendingBytes = 0;
      }
    }
    this.sending = null;
  }

  stats(): EventStoreStats {
    return Object.freeze({ spoolEvents: 0, spoolBytes: this.queuedBytes + this.sendingBytes, filesWritten: 0, eventsWritten: 0, duplicatesDropped: 0, badRows: 0, eventsEnrichedGood: 0, eventsEnrichedBad: 0 });
  }

  async flush(): Promise<void> {
    while (this.sending) await this.sending;
  }

  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    await this.flush();
    await this.producer.close(true);
  }
}

/** A send still running after `ms` is answered 503 here; if the broker takes it later, the client's
 *  retry is a duplicate that the loader drops by event_id. */
function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error(`no acks=all answer within ${ms} ms (KAFKA_ACK_TIMEOUT_MS)`)), ms); });
  p.catch(() => undefined);
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export async function openKafkaEventStore(config: KafkaConfig): Promise<EventStore> {
  const producer = new Producer<string, string, string, string>({
    ...kafkaClientOptions(config, 'collector'),
    serializers: stringSerializers,
    acks: ProduceAcks.ALL,
    // An unreachable broker must become a 503 within the ack timeout, not a long retry loop.
    retries: 2, retryDelay: 200, timeout: config.ackTimeoutMs,
    autocreateTopics: true,
  });
  return new KafkaEventStore(config, producer);
}
