// Starts the collector (store + enrichment + HTTP server) and runs it as `webcube collector`,
// shutting down gracefully on SIGTERM/SIGINT: stop accepting, finish requests, flush the store.
import type { AddressInfo } from 'node:net';
import { loadCollectorConfig, type CollectorConfig } from './config.ts';
import { createEnrichContext } from './enrich/enrich-context.ts';
import { createCollectorServer } from './http/collector-server.ts';
import { CollectorMetrics } from './metrics.ts';
import { RateLimiter } from './http/rate-limit.ts';
import { openEventStore, type EventStore } from './storage/index.ts';

export interface RunningCollector {
  readonly url: string;
  readonly port: number;
  readonly store: EventStore;
  readonly metrics: CollectorMetrics;
  close(): Promise<void>;
}

export interface StartOptions {
  /** Use this store instead of opening one from config.storage (tests, embedding). It is closed with the collector. */
  readonly store?: EventStore;
}

export async function startCollector(config: CollectorConfig, options: StartOptions = {}): Promise<RunningCollector> {
  const ctx = createEnrichContext(config.enrich);
  const store = options.store ?? (config.kafka
    ? await (await import('./kafka/kafka-event-store.ts')).openKafkaEventStore(config.kafka)
    : await openEventStore(config.storage, config.enrich));
  const metrics = new CollectorMetrics();
  const limiter = config.rateLimitPerIp > 0 ? new RateLimiter(config.rateLimitPerIp) : undefined;
  const sweeper = limiter ? setInterval(() => limiter.sweep(), 10_000).unref() : undefined;
  const server = createCollectorServer({ config, ctx, store, metrics, ...(limiter ? { limiter } : {}) });
  server.requestTimeout = config.requestTimeoutMs;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.port, config.host, () => { server.off('error', reject); resolve(); });
    });
  } catch (error) {
    clearInterval(sweeper);
    await store.close();
    throw new Error(`COLLECTOR_PORT: cannot listen on ${config.host}:${config.port}: ${(error as Error).message}`);
  }
  const port = (server.address() as AddressInfo).port;
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      clearInterval(sweeper);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await store.close();
    })();
    return closing;
  };
  return { url: `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`, port, store, metrics, close };
}

export async function collectorCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: webcube collector\n\nRuns the Snowplow-protocol collector. Configure it with COLLECTOR_* and WEBCUBE_DATA_DIR variables.\n');
    return;
  }
  const config = loadCollectorConfig(env);
  const running = await startCollector(config);
  process.stdout.write(`webcube collector listening on ${running.url} (${config.kafka ? `sink: Kafka topic ${config.kafka.topic} on ${config.kafka.brokers.join(',')}` : `data: ${config.storage.dataDir}`})\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`webcube collector: ${signal}, flushing and shutting down\n`);
      process.off('SIGTERM', onTerm);
      process.off('SIGINT', onInt);
      running.close().then(resolve, (error: unknown) => {
        process.stderr.write(`webcube collector: shutdown failed: ${(error as Error).message}\n`);
        process.exitCode = 1;
        resolve();
      });
    };
    const onTerm = () => stop('SIGTERM');
    const onInt = () => stop('SIGINT');
    process.on('SIGTERM', onTerm);
    process.on('SIGINT', onInt);
  });
}
