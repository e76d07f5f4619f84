// Bulk history writer: enriched events straight to Parquet, bypassing the spool (history needs no
// ack). Events are serialised to NDJSON chunks while DuckDB turns the previous chunk into files.
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import type { AtomicEvent } from '../atomic/columns.ts';
import type { StorageConfig } from '../storage/storage-config.ts';
import { openSink } from '../sinks/open-sink.ts';
import type { Sink } from '../sinks/sink.ts';
import { writeBatch } from '../storage/write-batch.ts';

export interface ImportOptions {
  /** Events per Parquet batch (per day one file per batch); larger means fewer, bigger files. */
  readonly batchSize?: number;
  readonly onProgress?: (written: number) => void;
}

async function writeChunk(path: string, events: readonly AtomicEvent[]): Promise<void> {
  const out = createWriteStream(path, { highWaterMark: 1 << 20 });
  const done = new Promise<void>((resolve, reject) => { out.on('finish', resolve); out.on('error', reject); });
  let buf = '';
  for (const e of events) {
    buf += `${JSON.stringify(e)}\n`;
    if (buf.length > 1 << 20) {
      if (!out.write(buf)) await new Promise((r) => out.once('drain', r));
      buf = '';
    }
  }
  out.end(buf);
  await done;
}

export async function importEvents(events: AsyncIterable<AtomicEvent> | Iterable<AtomicEvent>, config: StorageConfig,
  options: ImportOptions = {}): Promise<{ written: number; files: number }> {
  const batchSize = options.batchSize ?? 500_000;
  const sink: Sink = await openSink(config);
  const work = join(sink.stagingDir, `import-${randomUUID()}`);
  await mkdir(work, { recursive: true });
  const db = await DuckDBInstance.create(':memory:', { threads: String(availableParallelism()), preserve_insertion_order: 'false' });
  const conn: DuckDBConnection = await db.connect();
  let written = 0;
  let files = 0;
  let pending: Promise<void> = Promise.resolve();
  let n = 0;
  const flushChunk = async (chunk: AtomicEvent[]) => {
    const path = join(work, `chunk-${n++}.ndjson`);
    await writeChunk(path, chunk);
    // One chunk in DuckDB while the next one is serialised.
    await pending;
    pending = (async () => {
      const r = await writeBatch(conn, sink, { ndjson: [path] }, {
        seed: `${randomUUID()}`, withBadRows: false, nowMs: Date.now(),
      });
      await rm(path, { force: true });
      written += r.eventsWritten;
      files += r.files.length;
      options.onProgress?.(written);
    })();
    pending.catch(() => undefined);
  };
  try {
    let chunk: AtomicEvent[] = [];
    for await (const e of events) {
      chunk.push(e);
      if (chunk.length >= batchSize) { await flushChunk(chunk); chunk = []; }
    }
    if (chunk.length > 0) await flushChunk(chunk);
    await pending;
  } finally {
    await pending.catch(() => undefined);
    conn.closeSync(); db.closeSync();
    await rm(work, { recursive: true, force: true });
    await sink.close();
  }
  return { written, files };
}
