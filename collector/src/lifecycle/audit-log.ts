// The lifecycle audit log: one immutable JSON object per run under _lifecycle/audit/, saying when
// it ran, what it did and how many rows it removed where. Identifiers appear only as an
// HMAC-SHA256 with the deployment's salt: who was erased can be confirmed by someone who knows
// the identifier and the salt, and read by nobody else.
import { createHmac, randomUUID } from 'node:crypto';
import type { Sink } from '../sinks/sink.ts';
import { compactTimestamp } from '../storage/part-name.ts';

export const AUDIT_PREFIX = '_lifecycle/audit/';

export interface RemovedRows {
  readonly where: 'events' | 'bad' | 'spool';
  readonly dt?: string;
  readonly rows: number;
  /** Files removed (retention counts files, not rows). */
  readonly files?: number;
}

export interface AuditEntry {
  readonly action: 'forget' | 'retention';
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly request: Record<string, unknown>;
  readonly removed: readonly RemovedRows[];
  readonly totalRows: number;
}

export function hashIdentifier(salt: string, value: string): string {
  return `hmac-sha256:${createHmac('sha256', salt).update(value, 'utf8').digest('hex')}`;
}

export async function writeAudit(sink: Sink, entry: AuditEntry): Promise<string> {
  const key = `${AUDIT_PREFIX}${entry.action}-${compactTimestamp(Date.parse(entry.startedAt))}-${randomUUID()}.json`;
  await sink.putBytes(key, `${JSON.stringify(entry, null, 2)}\n`);
  return key;
}

export async function readAudit(sink: Sink): Promise<AuditEntry[]> {
  const out: AuditEntry[] = [];
  for (const key of await sink.list(AUDIT_PREFIX)) {
    const bytes = await sink.getBytes(key);
    if (bytes) out.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as AuditEntry);
  }
  return out;
}
