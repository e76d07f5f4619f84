// Erasure in the raw stores: bad rows (NDJSON files in bad/dt=…/) and the collector's spool
// (NDJSON segments waiting to be written to Parquet). A line naming the person is dropped whole:
// a raw record is one tracker request, which comes from one browser.
import { open, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import { dtOfKey } from '../storage/part-name.ts';
import { lineNamesTarget, type ForgetTarget } from './identity-match.ts';
import type { RemovedRows } from './audit-log.ts';

function filterLines(text: string, target: ForgetTarget): { kept: string; removed: number } {
  const lines = text.split('\n');
  const kept = lines.filter((l) => l === '' || !lineNamesTarget(l, target));
  return { kept: kept.join('\n'), removed: lines.length - kept.length };
}

/** Each bad-row file naming the person is replaced in one atomic put (or deleted when nothing is left). */
export async function forgetInBadRows(sink: Sink, target: ForgetTarget): Promise<RemovedRows[]> {
  const perDay = new Map<string, number>();
  for (const key of await sink.list('bad/')) {
    const bytes = await sink.getBytes(key);
    if (!bytes) continue;
    const { kept, removed } = filterLines(Buffer.from(bytes).toString('utf8'), target);
    if (removed === 0) continue;
    if (kept.trim() === '') await sink.delete([key]);
    else await sink.putBytes(key, kept);
    const dt = dtOfKey(key) ?? 'unknown';
    perDay.set(dt, (perDay.get(dt) ?? 0) + removed);
  }
  return [...perDay.entries()].sort().map(([dt, rows]) => ({ where: 'bad', dt, rows }));
}

const SEGMENT = /^seg-\d{12}-[0-9a-f-]{36}\.ndjson$/;
const segments = async (dir: string): Promise<string[]> =>
  (await readdir(dir).catch(() => [] as string[])).filter((n) => SEGMENT.test(n));

/**
 * A running collector writes every segment out to Parquet within seconds, so erasure first waits
 * for the segments that predate it to go (their rows then get erased from Parquet). Segments
 * still there after `waitMs` are rewritten here, but only when no collector holds the spool
 * (the dedupe index's file lock tells): rewriting a segment under a live collector could race
 * its replay. A live collector that does not drain is an error, so nothing is left half done.
 */
export async function forgetInSpool(spoolDir: string, target: ForgetTarget, waitMs: number): Promise<RemovedRows[]> {
  const dir = join(spoolDir, 'segments');
  const initial = new Set(await segments(dir));
  const deadline = Date.now() + waitMs;
  let left = [...initial];
  while (left.length > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    const now = new Set(await segments(dir));
    left = left.filter((n) => now.has(n));
  }
  if (left.length === 0) return [];
  let db: DuckDBInstance;
  try {
    db = await DuckDBInstance.create(join(spoolDir, 'dedupe.duckdb'));
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/lock/i.test(message)) {
      throw new Error(`forget: the collector using ${spoolDir} did not write out ${left.length} spool segment(s) within WEBCUBE_FORGET_SPOOL_WAIT_S; nothing was erased, run forget again when it has caught up`);
    }
    throw new Error(`forget: cannot check whether a collector uses ${spoolDir}: ${message}`);
  }
  try {
    let removed = 0;
    for (const name of left) {
      const path = join(dir, name);
      const text = await readFile(path, 'utf8').catch(() => undefined);
      if (text === undefined) continue;
      const r = filterLines(text, target);
      if (r.removed === 0) continue;
      const tmp = `${path}.forget-tmp`;
      await writeFile(tmp, r.kept);
      const fh = await open(tmp, 'r+');
      try { await fh.sync(); } finally { await fh.close(); }
      await rename(tmp, path);
      removed += r.removed;
    }
    return removed > 0 ? [{ where: 'spool', rows: removed }] : [];
  } finally {
    db.closeSync();
  }
}
