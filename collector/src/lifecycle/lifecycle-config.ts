// Data lifecycle settings: how long days are kept, where old days go instead of being deleted,
// and how erasure hashes what it was asked (the audit log holds no personal data).
import { z } from 'zod';
import { int, parseEnvFields } from '../env-fields.ts';

export interface LifecycleConfig {
  /** Days older than this many (UTC, before today) are removed; undefined keeps everything. */
  readonly retentionDays: number | undefined;
  /** A local path or s3://bucket/prefix that old days are moved to instead of being deleted. */
  readonly archiveLocation: string | undefined;
  /** How often the refresh worker applies retention. */
  readonly retentionEveryMs: number;
  /** Salt of the HMAC-SHA256 that stands for the erased identifier in the audit log. */
  readonly auditSalt: string | undefined;
  /** Files an erasure replaced stay this long, so queries that listed them finish. */
  readonly forgetGraceMs: number;
  /** How long erasure waits for the collector to write out the spool segments that predate it. */
  readonly forgetSpoolWaitMs: number;
}

const fields = {
  WEBCUBE_RETENTION_DAYS: int(1, 100_000).optional(),
  WEBCUBE_ARCHIVE_LOCATION: z.string().min(1).optional(),
  WEBCUBE_RETENTION_EVERY_S: int(60, 30 * 86_400).default(3600),
  WEBCUBE_AUDIT_SALT: z.string().min(16, 'at least 16 characters').optional(),
  WEBCUBE_FORGET_GRACE_S: int(0, 86_400).default(60),
  WEBCUBE_FORGET_SPOOL_WAIT_S: int(0, 3600).default(60),
} as const;

export function loadLifecycleConfig(env: Record<string, string | undefined>): LifecycleConfig {
  const p = parseEnvFields(fields, env);
  return Object.freeze({
    retentionDays: p.WEBCUBE_RETENTION_DAYS,
    archiveLocation: p.WEBCUBE_ARCHIVE_LOCATION,
    retentionEveryMs: p.WEBCUBE_RETENTION_EVERY_S * 1000,
    auditSalt: p.WEBCUBE_AUDIT_SALT,
    forgetGraceMs: p.WEBCUBE_FORGET_GRACE_S * 1000,
    forgetSpoolWaitMs: p.WEBCUBE_FORGET_SPOOL_WAIT_S * 1000,
  });
}
