// `webcube loader` settings: the Kafka connection (kafka-config.ts), where the Parquet goes (the
// collector's storage settings: WEBCUBE_DATA_DIR, S3, dedupe window) and the LOADER_* variables.
import { resolve } from 'node:path';
import { z } from 'zod';
import { int, parseEnvFields } from '../env-fields.ts';
import { loadKafkaConfig, type KafkaConfig } from '../kafka/kafka-config.ts';
import { loadStorageConfig, type StorageConfig } from '../storage/index.ts';
import type { EnrichOptions } from '../enrich/enrich-context.ts';
import { loadCollectorConfig } from '../config.ts';

export interface LoaderConfig {
  readonly kafka: KafkaConfig;
  readonly storage: StorageConfig;
  readonly enrich: EnrichOptions;
  readonly groupId: string;
  /** A partition's buffered records are written at least this often (freshness). */
  readonly flushMs: number;
  /** …or as soon as this many records wait (memory and file size). */
  readonly flushRecords: number;
  readonly host: string;
  /** /metrics (consumer lag, files, events); 0 picks a free port. */
  readonly port: number;
  /** Local: scratch files and the working copy of each assigned partition's dedupe history (the history itself is in the sink). */
  readonly stateDir: string;
}

const fields = {
  LOADER_GROUP_ID: z.string().min(1).default('webcube-loader'),
  LOADER_FLUSH_MS: int(100, 600_000).default(1000),
  LOADER_FLUSH_RECORDS: int(1, 10_000_000).default(20_000),
  LOADER_HOST: z.string().min(1).default('0.0.0.0'),
  LOADER_PORT: int(0, 65535).default(8081),
  LOADER_STATE_DIR: z.string().min(1).optional(),
} as const;

export function loadLoaderConfig(env: Record<string, string | undefined>): LoaderConfig {
  const p = parseEnvFields(fields, env);
  const storage = loadStorageConfig(env);
  const collector = loadCollectorConfig({ ...env, COLLECTOR_SINK: 'spool' });
  return Object.freeze({
    kafka: loadKafkaConfig(env, 'webcube loader'), storage, enrich: collector.enrich,
    groupId: p.LOADER_GROUP_ID, flushMs: p.LOADER_FLUSH_MS, flushRecords: p.LOADER_FLUSH_RECORDS,
    host: p.LOADER_HOST, port: p.LOADER_PORT,
    stateDir: resolve(p.LOADER_STATE_DIR ?? (storage.target.kind === 'local' ? `${storage.target.root}/loader` : './loader')),
  });
}
