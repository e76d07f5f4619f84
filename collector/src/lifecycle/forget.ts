// Erasure of one person (GDPR Art. 17): spool first (its rows either reach Parquet or are
// dropped), then every event file and bad row, then a request that the refresh worker rebuild
// the affected pre-aggregation partitions, and an audit entry with the identifier hashed.
import { DuckDBInstance } from '@duckdb/node-api';
import { loadStorageConfig } from '../storage/storage-config.ts';
import { openSink } from '../sinks/open-sink.ts';
import type { Sink } from '../sinks/sink.ts';
import { loadLifecycleConfig } from './lifecycle-config.ts';
import type { ForgetTarget } from './identity-match.ts';
import { forgetInEvents } from './forget-events.ts';
import { forgetInBadRows, forgetInSpool } from './forget-raw.ts';
import { hashIdentifier, writeAudit, type RemovedRows } from './audit-log.ts';
import { requestRebuild } from './rebuild-requests.ts';

export interface ForgetReport {
  readonly subject: string;
  readonly removed: readonly RemovedRows[];
  readonly totalRows: number;
  /** UTC days whose pre-aggregation partitions are rebuilt. */
  readonly days: readonly string[];
  readonly auditKey: string;
  readonly rebuildKey?: string;
  /** Resolves once the replaced files are deleted (after WEBCUBE_FORGET_GRACE_S). */
  readonly cleanup: Promise<void>;
}

export async function runForget(env: Record<string, string | undefined>, target: ForgetTarget): Promise<ForgetReport> {
  const lc = loadLifecycleConfig(env);
  if (!lc.auditSalt) throw new Error('WEBCUBE_AUDIT_SALT: set a secret of 16+ characters; the audit log records erasures as an HMAC of the identifier with it');
  if (target.value === '') throw new Error(`forget: the ${target.column} to erase is empty`);
  const storage = loadStorageConfig(env);
  const startedAt = new Date().toISOString();
  const subject = hashIdentifier(lc.auditSalt, target.value);
  const spool = await forgetInSpool(storage.spoolDir, target, lc.forgetSpoolWaitMs);
  const sink = await openSink(storage);
  const db = await DuckDBInstance.create(':memory:', { threads: '2', memory_limit: '1GB' });
  const conn = await db.connect();
  let closeSink = true;
  try {
    const events = await forgetInEvents(sink, conn, target);
    const bad = await forgetInBadRows(sink, target);
    const removed = [...spool, ...events.removed, ...bad];
    const days = [...new Set(events.removed.map((r) => r.dt!))].sort();
    const rebuildKey = await requestRebuild(sink, days);
    const totalRows = removed.reduce((n, r) => n + r.rows, 0);
    const auditKey = await writeAudit(sink, {
      action: 'forget', startedAt, finishedAt: new Date().toISOString(),
      request: { column: target.column, subject, graceSeconds: lc.forgetGraceMs / 1000 }, removed, totalRows,
    });
    closeSink = false;
    const cleanup = deleteAfter(sink, events.replaced, lc.forgetGraceMs);
    return { subject, removed, totalRows, days, auditKey, cleanup, ...(rebuildKey ? { rebuildKey } : {}) };
  } finally {
    conn.closeSync(); db.closeSync();
    if (closeSink) await sink.close();
  }
}

async function deleteAfter(sink: Sink, keys: readonly string[], ms: number): Promise<void> {
  try {
    if (keys.length > 0 && ms > 0) await new Promise((r) => setTimeout(r, ms));
    await sink.delete(keys);
  } finally {
    await sink.close();
  }
}

const USAGE = 'usage: webcube forget --user-id X | --domain-userid Y | --network-userid Z';
const FLAGS = { '--user-id': 'user_id', '--domain-userid': 'domain_userid', '--network-userid': 'network_userid' } as const;

export function parseForgetArgs(args: readonly string[]): ForgetTarget {
  const targets: ForgetTarget[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const flag = (a.includes('=') ? a.slice(0, a.indexOf('=')) : a) as keyof typeof FLAGS;
    if (!(flag in FLAGS)) throw new Error(`unknown option ${a}\n${USAGE}`);
    const value = a.includes('=') ? a.slice(a.indexOf('=') + 1) : args[++i];
    if (!value) throw new Error(`${flag} needs a value\n${USAGE}`);
    targets.push({ column: FLAGS[flag], value });
  }
  if (targets.length !== 1) throw new Error(`give exactly one identifier\n${USAGE}`);
  return targets[0]!;
}

export async function forgetCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${USAGE}\n\nErases every row of one person from events, bad rows and the spool, and has the refresh worker rebuild\nthe affected pre-aggregation partitions. The audit log (_lifecycle/audit/) records it with the identifier hashed.\n`);
    return;
  }
  const report = await runForget(env, parseForgetArgs(args));
  for (const r of report.removed) process.stderr.write(`${r.where}${r.dt ? ` dt=${r.dt}` : ''}: removed ${r.rows} row(s)\n`);
  process.stderr.write(`forget ${report.subject}: ${report.totalRows} row(s) removed; audit ${report.auditKey}\n`);
  await report.cleanup;
}
