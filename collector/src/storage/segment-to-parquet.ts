// On the enrichment worker: a sealed spool segment → one zstd Parquet file of its enriched events
// (all atomic columns, typed) and an NDJSON file of its bad rows. DuckDB's COPY pulls the events
// through a table function that enriches the next lines of the segment into each data chunk it
// asks for: no text format, no table and no whole segment in memory in between. The main thread's
// writer then only checks keys against the dedupe index and publishes the file.
import { closeSync, openSync, rmSync, writeSync } from 'node:fs';
import { DuckDBBigIntType, DuckDBTableFunction, type DuckDBConnection } from '@duckdb/node-api';
import { atomicColumns } from '../atomic/columns.ts';
import type { EnrichContext } from '../process-event.ts';
import { AtomicChunkBuilder, atomicDuckTypes, CHUNK_ROWS } from './atomic-chunk.ts';
import { quoteLiteral } from './atomic-sql.ts';
import { SegmentEnricher, type EnrichedSegment } from './enrich-segment.ts';

export interface ParquetSegment extends EnrichedSegment {
  /** The events' Parquet file; absent when the segment held no good event. */
  readonly parquet?: string;
  /** The bad rows' NDJSON file ({"bad": …} lines); absent when there were none. */
  readonly badRows?: string;
}

interface Job { readonly enricher: SegmentEnricher; readonly builder: AtomicChunkBuilder; rows: number }

const FUNCTION = 'wc_segment_events';
const BAD_BUFFER = 1024 * 1024;
const jobs = new Map<number, Job>();
const registered = new WeakSet<DuckDBConnection>();
let nextJob = 0;

function register(conn: DuckDBConnection): void {
  if (registered.has(conn)) return;
  conn.registerTableFunction(DuckDBTableFunction.create({
    name: FUNCTION,
    parameterTypes: [DuckDBBigIntType.instance],
    bindFunction: (info) => {
      atomicColumns.forEach((c, i) => info.addResultColumn(c.name, atomicDuckTypes[i]!));
      info.setBindData({ job: Number(info.getParameter(0)) });
    },
    initFunction: () => undefined,
    mainFunction: (info, output) => {
      const job = jobs.get((info.bindData as { job: number }).job);
      if (!job) { info.setError('no such segment job'); return; }
      job.rows += job.enricher.fill(job.builder, CHUNK_ROWS);
      job.builder.writeTo(output);
    },
  }));
  registered.add(conn);
}

/** Writes `<outPrefix>.parquet` and `<outPrefix>.bad.ndjson` as needed. collector_tstamp falls back
 *  to `nowMs` like load_tstamp, which the loader stamps. `onRead` hears, after each raw record, how
 *  many of the segment's events were read so far. */
export async function segmentToParquet(conn: DuckDBConnection, inPath: string, outPrefix: string, ctx: EnrichContext,
  nowMs: number, onRead?: (events: number) => void): Promise<ParquetSegment> {
  register(conn);
  const badPath = `${outPrefix}.bad.ndjson`;
  let badFd: number | undefined;
  let pendingBad = '';
  const flushBad = () => {
    badFd ??= openSync(badPath, 'w');
    writeSync(badFd, pendingBad);
    pendingBad = '';
  };
  const id = nextJob++;
  const job: Job = {
    enricher: new SegmentEnricher(inPath, ctx, (line) => { pendingBad += `${line}\n`; if (pendingBad.length >= BAD_BUFFER) flushBad(); }, onRead),
    builder: new AtomicChunkBuilder({ collector_tstamp: nowMs, load_tstamp: nowMs }),
    rows: 0,
  };
  jobs.set(id, job);
  const parquet = `${outPrefix}.parquet`;
  let result: EnrichedSegment;
  try {
    await conn.run(`COPY (SELECT * FROM ${FUNCTION}(${id})) TO ${quoteLiteral(parquet)} (FORMAT parquet, COMPRESSION zstd)`);
    if (pendingBad.length > 0) flushBad();
  } finally {
    jobs.delete(id);
    result = job.enricher.result();
    if (badFd !== undefined) closeSync(badFd);
  }
  if (job.rows === 0) rmSync(parquet, { force: true });
  return { ...result, ...(job.rows > 0 ? { parquet } : {}), ...(badFd !== undefined ? { badRows: badPath } : {}) };
}
