// `webcube retention --dry-run|--apply [--days N]`: lists or removes the days older than
// WEBCUBE_RETENTION_DAYS (or --days), moving them to WEBCUBE_ARCHIVE_LOCATION when set, and
// asks the refresh worker to drop their pre-aggregation partitions.
import { loadStorageConfig } from '../storage/storage-config.ts';
import { openSink } from '../sinks/open-sink.ts';
import type { Sink } from '../sinks/sink.ts';
import { loadLifecycleConfig } from './lifecycle-config.ts';
import { applyRetention, planRetention, retentionCutoff, type RetentionOptions, type RetentionResult } from './retention.ts';
import { requestRebuild } from './rebuild-requests.ts';
import { writeAudit } from './audit-log.ts';

const USAGE = 'usage: webcube retention --dry-run|--apply [--days N]';

export function parseRetentionArgs(args: readonly string[]): { apply: boolean; days?: number } {
  let mode: 'dry' | 'apply' | undefined;
  let days: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === '--dry-run' || a === '--apply') {
      const m = a === '--apply' ? 'apply' : 'dry';
      if (mode && mode !== m) throw new Error(`use either --dry-run or --apply\n${USAGE}`);
      mode = m;
    } else if (a === '--days' || a.startsWith('--days=')) {
      const v = a === '--days' ? args[++i] : a.slice(7);
      if (!v || !/^\d+$/.test(v) || Number(v) < 1) throw new Error(`--days: expected a whole number of days ≥ 1, got ${v ?? 'nothing'}`);
      days = Number(v);
    } else throw new Error(`unknown option ${a}\n${USAGE}`);
  }
  if (!mode) throw new Error(`say --dry-run or --apply\n${USAGE}`);
  return { apply: mode === 'apply', ...(days !== undefined ? { days } : {}) };
}

/** Opens the archive location as a sink with the same S3 settings as the data root. */
export async function openArchive(env: Record<string, string | undefined>, location: string | undefined): Promise<Sink | undefined> {
  return location ? openSink(loadStorageConfig({ ...env, WEBCUBE_DATA_DIR: location })) : undefined;
}

/** Retention on the data root: drop (or archive) old days, audit it, ask for the partitions to go. */
export async function runRetention(env: Record<string, string | undefined>, retentionDays: number, o: Omit<RetentionOptions, 'archive'> = {}, now = Date.now()): Promise<RetentionResult> {
  const lc = loadLifecycleConfig(env);
  const sink = await openSink(loadStorageConfig(env));
  const archive = await openArchive(env, lc.archiveLocation);
  try {
    const startedAt = new Date().toISOString();
    const result = await applyRetention(sink, retentionDays, now, { ...o, ...(archive ? { archive } : {}) });
    if (result.dropped.length > 0) {
      await requestRebuild(sink, [], result.cutoff);
      await writeAudit(sink, {
        action: 'retention', startedAt, finishedAt: new Date().toISOString(),
        request: { retentionDays, cutoff: result.cutoff, archived: archive !== undefined },
        removed: result.dropped.map((d) => ({ where: 'events' as const, dt: d.dt, rows: 0, files: d.eventFiles.length + d.badFiles.length })),
        totalRows: 0,
      });
    }
    return result;
  } finally {
    await sink.close();
    await archive?.close();
  }
}

export async function retentionCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n\nRemoves the days older than WEBCUBE_RETENTION_DAYS (or --days) from events and bad rows.\n`);
    return;
  }
  const cli = parseRetentionArgs(args);
  const days = cli.days ?? loadLifecycleConfig(env).retentionDays;
  if (days === undefined) throw new Error('WEBCUBE_RETENTION_DAYS is not set (everything is kept); set it or pass --days N');
  const log = (line: string) => process.stderr.write(`${line}\n`);
  if (!cli.apply) {
    const cutoff = retentionCutoff(days, Date.now());
    const sink = await openSink(loadStorageConfig(env));
    try {
      const plan = await planRetention(sink, cutoff);
      for (const d of plan) log(`dt=${d.dt}: would remove ${d.eventFiles.length} event file(s), ${d.badFiles.length} bad-row file(s)`);
      log(`${plan.length} day(s) before ${cutoff} would be removed (dry run: nothing changed)`);
    } finally { await sink.close(); }
    return;
  }
  const r = await runRetention(env, days, { log });
  log(`${r.dropped.length} day(s) before ${r.cutoff} removed${r.busy.length ? `; busy (compacting), retry: ${r.busy.join(', ')}` : ''}`);
  if (r.busy.length) process.exitCode = 1;
}
