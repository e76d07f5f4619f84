// `webcube compact [--date YYYY-MM-DD] [--all]`: merges small event files per day (compact-day.ts).
// Without flags it compacts every closed day (before today, UTC); --all includes today.
import { DuckDBInstance } from '@duckdb/node-api';
import { loadStorageConfig } from '../storage/storage-config.ts';
import { openSink } from '../sinks/open-sink.ts';
import type { Sink } from '../sinks/sink.ts';
import { isDt } from '../storage/part-name.ts';
import { compactDay, type CompactDayResult } from './compact-day.ts';
import { readManifests, manifestKey } from './manifest.ts';
import { partitionSwaps } from './partition-swap.ts';
import { collectGarbage } from './garbage.ts';

const TOMBSTONE_DAYS = 7;

export function parseCompactArgs(args: readonly string[]): { dates: string[] | 'all' | 'closed' } {
  const dates: string[] = [];
  let all = false;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--all') all = true;
    else if (a === '--date' || a.startsWith('--date=')) {
      const v = a === '--date' ? args[++i] : a.slice(7);
      if (!v || !isDt(v) || Number.isNaN(Date.parse(v))) throw new Error(`--date: expected YYYY-MM-DD, got ${v ?? 'nothing'}`);
      dates.push(v);
    } else throw new Error(`unknown option ${a}; usage: webcube compact [--date YYYY-MM-DD] [--all]`);
  }
  if (dates.length > 0 && all) throw new Error('use either --date or --all');
  return { dates: dates.length > 0 ? dates : all ? 'all' : 'closed' };
}

async function daysOf(sink: Sink): Promise<string[]> {
  const days = new Set<string>();
  for (const key of await sink.list('events/')) {
    const m = /^events\/dt=(\d{4}-\d{2}-\d{2})\//.exec(key);
    if (m) days.add(m[1]!);
  }
  return [...days].sort();
}

/** Drops manifests older than the tombstone period whose inputs are all gone. */
async function dropOldManifests(sink: Sink, now: number): Promise<void> {
  const present = new Set(await sink.list('events/'));
  for (const m of await readManifests(sink)) {
    if (now - m.created > TOMBSTONE_DAYS * 86_400_000 && m.inputs.every((i) => !present.has(i))) await sink.delete([manifestKey(m.id)]);
  }
}

export async function runCompaction(env: Record<string, string | undefined>, args: readonly string[]): Promise<CompactDayResult[]> {
  const config = loadStorageConfig(env);
  const today = new Date().toISOString().slice(0, 10);
  const { dates } = parseCompactArgs(args);
  const sink = await openSink(config);
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const conn = await db.connect();
  try {
    const days = Array.isArray(dates) ? dates : (await daysOf(sink)).filter((d) => dates === 'all' || d < today);
    const results: CompactDayResult[] = [];
    const gen = { swaps: partitionSwaps(config.compactHiveTables, config.compactHiveMetastore), graceMs: config.compactGraceMs };
    await collectGarbage(sink, Date.now());
    for (const dt of days) results.push(await compactDay(sink, conn, dt, config.compactTargetBytes, gen));
    await dropOldManifests(sink, Date.now());
    await collectGarbage(sink, Date.now());
    return results;
  } finally {
    conn.closeSync(); db.closeSync();
    await sink.close();
  }
}

export async function compactCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write('usage: webcube compact [--date YYYY-MM-DD] [--all]\n\nMerges small event files per day; without flags every day before today (UTC).\n');
    return;
  }
  for (const r of await runCompaction(env, args)) {
    process.stderr.write(r.busy ? `dt=${r.dt}: another compactor is working on it, skipped\n`
      : r.skipped ? `dt=${r.dt}: skipped: ${r.skipped}\n`
      : r.inputs > 0 ? `dt=${r.dt}: merged ${r.inputs} files (${r.rows} events) into ${r.outputs}\n`
        : `dt=${r.dt}: nothing to merge\n`);
  }
}
