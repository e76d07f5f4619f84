// Chooses the sink for a storage config: a local root or an S3 bucket/prefix.
import { join } from 'node:path';
import type { StorageConfig } from '../storage/storage-config.ts';
import type { Sink } from './sink.ts';
import { openLocalSink } from './local.ts';
import { openS3Sink } from './s3.ts';

export async function openSink(config: StorageConfig): Promise<Sink> {
  const t = config.target;
  if (t.kind === 'local') return openLocalSink(t.root);
  return openS3Sink({ bucket: t.bucket, prefix: t.prefix, settings: config.s3, stagingDir: join(config.spoolDir, 'staging') });
}
