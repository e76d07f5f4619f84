// `webcube loader`: runs a KafkaLoader with a /metrics endpoint (consumer lag per partition,
// batches, files, events) until SIGTERM/SIGINT, then writes what it holds and leaves the group.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KafkaLoader } from './kafka-loader.ts';
import { loadLoaderConfig, type LoaderConfig } from './loader-config.ts';

export interface RunningLoader { readonly loader: KafkaLoader; readonly url: string; close(): Promise<void> }

async function renderMetrics(loader: KafkaLoader): Promise<string> {
  const s = loader.stats();
  const lines: string[] = [];
  const counter = (name: string, help: string, v: number) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} counter`, `${name} ${v}`);
  lines.push('# HELP webcube_loader_consumer_lag Records in the partition not yet loaded (log end offset minus committed offset).', '# TYPE webcube_loader_consumer_lag gauge');
  for (const [partition, lag] of await loader.lag()) lines.push(`webcube_loader_consumer_lag{partition="${partition}"} ${lag}`);
  counter('webcube_loader_batches_total', 'Batches (one partition offset range each) written and committed.', s.batchesWritten);
  counter('webcube_loader_batches_fenced_total', 'Batches dropped because another loader had taken their partition over.', s.batchesFenced);
  counter('webcube_loader_records_total', 'Kafka records loaded.', s.recordsLoaded);
  counter('webcube_loader_records_skipped_total', 'Records re-delivered after they were loaded, skipped.', s.recordsSkipped);
  counter('webcube_loader_files_written_total', 'Parquet and bad-row files written.', s.filesWritten);
  counter('webcube_loader_events_written_total', 'Events written to Parquet.', s.eventsWritten);
  counter('webcube_loader_duplicates_dropped_total', 'Events dropped as duplicates by event_id.', s.duplicatesDropped);
  counter('webcube_loader_bad_rows_total', 'Bad rows written.', s.badRows);
  return `${lines.join('\n')}\n`;
}

export async function startLoader(config: LoaderConfig): Promise<RunningLoader> {
  const loader = await KafkaLoader.open(config);
  const server: Server = createServer((req, res) => {
    if (req.url !== '/metrics') { res.writeHead(404).end('not found\n'); return; }
    renderMetrics(loader).then((body) => res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(body), (e: unknown) => {
      process.stderr.write(`webcube loader: /metrics failed: ${(e as Error).message}\n`);
      res.writeHead(503).end('metrics unavailable\n');
    });
  });
  await new Promise<void>((resolve, reject) => { server.once('error', reject); server.listen(config.port, config.host, () => resolve()); }).catch(async (e: unknown) => {
    await loader.close();
    throw new Error(`LOADER_PORT: cannot listen on ${config.host}:${config.port}: ${(e as Error).message}`);
  });
  const port = (server.address() as AddressInfo).port;
  let closing: Promise<void> | undefined;
  return {
    loader, url: `http://127.0.0.1:${port}`,
    close: () => closing ??= (async () => { await new Promise<void>((r) => server.close(() => r())); await loader.close(); })(),
  };
}

export async function loaderCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: webcube loader\n\nConsumes the collector\'s Kafka topic and writes Parquet. Configure it with KAFKA_*, LOADER_* and WEBCUBE_DATA_DIR variables.\n');
    return;
  }
  const config = loadLoaderConfig(env);
  const running = await startLoader(config);
  process.stdout.write(`webcube loader: group ${config.groupId}, topic ${config.kafka.topic} → ${config.storage.dataDir}; metrics on ${running.url}/metrics\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`webcube loader: ${signal}, writing what it holds and leaving the group\n`);
      running.close().then(resolve, (e: unknown) => { process.stderr.write(`webcube loader: shutdown failed: ${(e as Error).message}\n`); process.exitCode = 1; resolve(); });
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
}
