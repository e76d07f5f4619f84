// `webcube import <files...> [--format tp2|tsv]`: loads history with its original timestamps.
// tp2 lines go through the collector's own validate/enrich (processTrackerEvent); enriched TSV
// is already enriched and is only checked. Both end in the bulk Parquet writer; rejects become
// bad rows, so nothing read is dropped silently.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { Transform } from 'node:stream';
import type { AtomicEvent } from '../atomic/columns.ts';
import { loadCollectorConfig } from '../config.ts';
import { createEnrichContext, processTrackerEvent } from '../process-event.ts';
import { makeBadRow } from '../protocol/bad-row.ts';
import type { BadRow } from '../storage/index.ts';
import { openSink } from '../sinks/open-sink.ts';
import { importEvents } from './import-events.ts';
import { progressBar } from './progress-bar.ts';
import { parseTp2Line } from './tp2-record.ts';
import { tsvToEvent } from './tsv-event.ts';
import { writeBadRows } from './write-bad-rows.ts';

export type ImportFormat = 'tp2' | 'tsv';

export function parseImportArgs(args: readonly string[]): { files: string[]; format: ImportFormat | undefined } {
  const files: string[] = [];
  let format: ImportFormat | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const value = a.startsWith('--format=') ? a.slice(9) : a === '--format' ? args[++i] : undefined;
    if (a === '--format' || a.startsWith('--format=')) {
      if (value !== 'tp2' && value !== 'tsv') throw new Error(`--format: expected tp2 or tsv, got ${value ?? 'nothing'}`);
      format = value;
    } else if (a.startsWith('--')) {
      throw new Error(`unknown option ${a}; usage: webcube import <files...> [--format tp2|tsv]`);
    } else files.push(a);
  }
  if (files.length === 0) throw new Error('usage: webcube import <files...> [--format tp2|tsv]');
  return { files, format };
}

/** tsv for *.tsv / *.tsv.gz, tp2 otherwise, unless --format says. */
const formatOf = (file: string, given: ImportFormat | undefined): ImportFormat => given ?? (/\.tsv(\.gz)?$/i.test(file) ? 'tsv' : 'tp2');

export async function importCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: webcube import <files...> [--format tp2|tsv]\n\n' +
      'tp2: NDJSON, one tracker payload per line with its collector timestamp\n' +
      '     ({"collector_tstamp":…, "body"|"querystring"|"data":…}); tsv: Snowplow enriched TSV. .gz is read too.\n');
    return;
  }
  const { files, format } = parseImportArgs(args);
  const config = loadCollectorConfig(env);
  const ctx = createEnrichContext(config);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const total = sizes.reduce((a, b) => a + b, 0);
  const progress = progressBar(total);
  let bytesDone = 0;
  let eventsRead = 0;
  const bad: BadRow[] = [];
  const sink = await openSink(config.storage);
  let badWritten = 0;

  async function* events(): AsyncGenerator<AtomicEvent> {
    for (const file of files) {
      const fmt = formatOf(file, format);
      const counter = new Transform({ transform(chunk: Buffer, _e, cb) { bytesDone += chunk.length; cb(null, chunk); } });
      let input: NodeJS.ReadableStream = createReadStream(file).pipe(counter);
      if (file.endsWith('.gz')) input = input.pipe(createGunzip());
      let lineNo = 0;
      for await (const line of createInterface({ input, crlfDelay: Infinity })) {
        lineNo++;
        if (line.trim() === '') continue;
        const source = `import:${file}:${lineNo}`;
        if (fmt === 'tsv') {
          const r = tsvToEvent(line);
          if ('event' in r) { eventsRead++; yield r.event; } else bad.push(makeBadRow(line, r.reason, Date.now(), source));
        } else {
          const rec = parseTp2Line(line);
          if ('reason' in rec) { bad.push(makeBadRow(line, rec.reason, Date.now(), source)); continue; }
          for (const params of rec.events) {
            let r;
            try { r = processTrackerEvent(params, { ...rec.meta, source }, ctx); } catch (e) {
              r = { bad: makeBadRow(JSON.stringify(params), `schema_violation: ${(e as Error).message}`, rec.meta.collectorTstamp, source) };
            }
            if (r.event) { eventsRead++; yield r.event; } else if (r.bad) bad.push(r.bad);
          }
        }
        if (bad.length >= 10_000) badWritten += await writeBadRows(sink, bad.splice(0));
        progress.update(bytesDone, eventsRead, badWritten + bad.length);
      }
    }
  }

  try {
    const result = await importEvents(events(), config.storage);
    badWritten += await writeBadRows(sink, bad.splice(0));
    progress.update(total, eventsRead, badWritten);
    progress.done();
    process.stderr.write(`imported ${result.written} events into ${result.files} files, ${badWritten} bad rows (data: ${config.storage.dataDir})\n`);
  } finally {
    await sink.close();
  }
}
