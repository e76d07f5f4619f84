// Storage configuration: where events go (local dir or s3://), spool limits, flush cadence, ack
// pacing, dedupe window.
import { resolve } from 'node:path';
import { z } from 'zod';
import { bool, int, parseEnvFields } from '../env-fields.ts';
import { parseMetastoreTable, type MetastoreTable } from '../compact/partition-swap.ts';

export type StorageTarget =
  | { readonly kind: 'local'; readonly root: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly prefix: string };

export interface S3Settings {
  readonly endpoint?: string;
  readonly region: string;
  readonly forcePathStyle: boolean;
  readonly accessKeyId?: string;
  readonly secretAccessKey?: string;
  readonly sessionToken?: string;
}

export interface StorageConfig {
  readonly dataDir: string;
  readonly target: StorageTarget;
  /** Always local: the fsync'd spool, the dedupe index and staging files for uploads. */
  readonly spoolDir: string;
  readonly flushMs: number;
  readonly flushEvents: number;
  readonly spoolMaxBytes: number;
  readonly diskMinFreeBytes: number;
  /** Acks are held while more events than this wait for enrichment (back-pressure); 0 = off. */
  readonly backlogMaxEvents: number;
  /** The longest an ack is held: the events are durable already, and a stuck flush must not stall acks. */
  readonly ackHoldMaxMs: number;
  readonly dedupeWindowMs: number;
  readonly dedupeMaxIds: number;
  /** Background compaction of today's and yesterday's files inside the collector; 0 = off (cron `webcube compact`). */
  readonly compactEveryMs: number;
  /** Size compaction aims for per merged file; files above half of it are left alone. */
  readonly compactTargetBytes: number;
  /** File-metastore table folders whose day partitions compaction swaps to a new generation (Presto/Trino). */
  readonly compactHiveTables: readonly string[];
  /** Thrift Hive metastore tables (`thrift://host:port/schema.table`) compaction swaps the same way. */
  readonly compactHiveMetastore: readonly MetastoreTable[];
  /** How long replaced files stay after a generation swap: longer than the longest query. */
  readonly compactGraceMs: number;
  /** DuckDB threads for the spool → Parquet writer; 1 leaves the other core to the request path. */
  readonly writerThreads: number;
  /** Worker threads that enrich sealed spool segments into Parquet, one segment each at a time. */
  readonly enrichWorkers: number;
  readonly s3: S3Settings;
}


const fields = {
  WEBCUBE_DATA_DIR: z.string().min(1).default('./data'),
  COLLECTOR_SPOOL_DIR: z.string().min(1).optional(),
  COLLECTOR_FLUSH_MS: int(50, 600_000).default(2000),
  COLLECTOR_FLUSH_EVENTS: int(1, 10_000_000).default(200_000),
  COLLECTOR_SPOOL_MAX_BYTES: int(1024 * 1024, Number.MAX_SAFE_INTEGER).default(1024 ** 3),
  COLLECTOR_DISK_MIN_FREE_BYTES: int(0, Number.MAX_SAFE_INTEGER).default(256 * 1024 ** 2),
  COLLECTOR_BACKLOG_MAX_EVENTS: int(0, 100_000_000).default(200_000),
  COLLECTOR_ACK_HOLD_MAX_MS: int(0, 60_000).default(1000),
  COLLECTOR_DEDUPE_WINDOW_S: int(0, 30 * 86_400).default(86_400),
  COLLECTOR_DEDUPE_MAX_IDS: int(0, 100_000_000).default(4_000_000),
  COLLECTOR_COMPACT_EVERY_S: int(0, 7 * 86_400).default(900),
  WEBCUBE_COMPACT_TARGET_BYTES: int(1024 * 1024, Number.MAX_SAFE_INTEGER).default(256 * 1024 ** 2),
  WEBCUBE_COMPACT_HIVE_TABLES: z.string().optional(),
  WEBCUBE_COMPACT_HIVE_METASTORE: z.string().optional(),
  WEBCUBE_COMPACT_GRACE_S: int(0, 7 * 86_400).default(3600),
  COLLECTOR_WRITER_THREADS: int(1, 64).default(1),
  COLLECTOR_ENRICH_WORKERS: int(1, 64).default(2),
  AWS_ENDPOINT_URL_S3: z.url().optional(),
  AWS_ENDPOINT_URL: z.url().optional(),
  AWS_REGION: z.string().min(1).optional(),
  AWS_DEFAULT_REGION: z.string().min(1).optional(),
  WEBCUBE_S3_FORCE_PATH_STYLE: bool.optional(),
  AWS_ACCESS_KEY_ID: z.string().min(1).optional(),
  AWS_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  AWS_SESSION_TOKEN: z.string().min(1).optional(),
} as const;


function parseMetastoreTables(value: string | undefined): MetastoreTable[] {
  return (value ?? '').split(',').map((t) => t.trim()).filter(Boolean).map((t) => {
    try {
      return Object.freeze(parseMetastoreTable(t));
    } catch (e) {
      throw new Error(`WEBCUBE_COMPACT_HIVE_METASTORE: ${(e as Error).message}`);
    }
  });
}

/** `s3://bucket/prefix` or a local path. */
export function parseDataDir(dataDir: string): StorageTarget {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(dataDir);
  if (m) return { kind: 's3', bucket: m[1]!, prefix: m[2]!.replace(/\/+$/, '') };
  if (/^[a-z0-9]+:\/\//i.test(dataDir)) throw new Error(`WEBCUBE_DATA_DIR: only a local path or s3://bucket/prefix is supported, got ${dataDir}`);
  return { kind: 'local', root: resolve(dataDir) };
}

export function loadStorageConfig(env: Record<string, string | undefined>): StorageConfig {
  const p = parseEnvFields(fields, env);
  const target = parseDataDir(p.WEBCUBE_DATA_DIR);
  const spoolDir = resolve(p.COLLECTOR_SPOOL_DIR ?? (target.kind === 'local' ? `${target.root}/spool` : './spool'));
  const endpoint = p.AWS_ENDPOINT_URL_S3 ?? p.AWS_ENDPOINT_URL;
  const hasKeys = p.AWS_ACCESS_KEY_ID !== undefined && p.AWS_SECRET_ACCESS_KEY !== undefined;
  const s3: S3Settings = {
    ...(endpoint ? { endpoint } : {}),
    region: p.AWS_REGION ?? p.AWS_DEFAULT_REGION ?? 'us-east-1',
    // MinIO and other self-hosted endpoints want path-style URLs; AWS itself wants virtual hosts.
    forcePathStyle: p.WEBCUBE_S3_FORCE_PATH_STYLE ?? endpoint !== undefined,
    ...(hasKeys ? { accessKeyId: p.AWS_ACCESS_KEY_ID, secretAccessKey: p.AWS_SECRET_ACCESS_KEY } : {}),
    ...(hasKeys && p.AWS_SESSION_TOKEN ? { sessionToken: p.AWS_SESSION_TOKEN } : {}),
  };
  return Object.freeze({
    dataDir: p.WEBCUBE_DATA_DIR,
    target: Object.freeze(target),
    spoolDir,
    flushMs: p.COLLECTOR_FLUSH_MS,
    flushEvents: p.COLLECTOR_FLUSH_EVENTS,
    writerThreads: p.COLLECTOR_WRITER_THREADS,
    enrichWorkers: p.COLLECTOR_ENRICH_WORKERS,
    spoolMaxBytes: p.COLLECTOR_SPOOL_MAX_BYTES,
    diskMinFreeBytes: p.COLLECTOR_DISK_MIN_FREE_BYTES,
    backlogMaxEvents: p.COLLECTOR_BACKLOG_MAX_EVENTS,
    ackHoldMaxMs: p.COLLECTOR_ACK_HOLD_MAX_MS,
    dedupeWindowMs: p.COLLECTOR_DEDUPE_WINDOW_S * 1000,
    dedupeMaxIds: p.COLLECTOR_DEDUPE_MAX_IDS,
    compactEveryMs: p.COLLECTOR_COMPACT_EVERY_S * 1000,
    compactTargetBytes: p.WEBCUBE_COMPACT_TARGET_BYTES,
    compactHiveTables: Object.freeze((p.WEBCUBE_COMPACT_HIVE_TABLES ?? '').split(',').map((d) => d.trim()).filter(Boolean).map((d) => resolve(d))),
    compactHiveMetastore: Object.freeze(parseMetastoreTables(p.WEBCUBE_COMPACT_HIVE_METASTORE)),
    compactGraceMs: p.WEBCUBE_COMPACT_GRACE_S * 1000,
    s3: Object.freeze(s3),
  });
}
