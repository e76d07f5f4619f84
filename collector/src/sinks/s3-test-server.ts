// Test helper: a real S3-protocol server (s3rver) on 127.0.0.1, a random port and a temp dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import S3rver from 's3rver';
import type { S3Settings } from '../storage/storage-config.ts';

export interface S3TestServer { readonly settings: S3Settings; readonly bucket: string; stop(): Promise<void> }

export async function startS3TestServer(bucket = 'webcube-test'): Promise<S3TestServer> {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-s3rver-'));
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: dir, configureBuckets: [{ name: bucket, configs: [] }] });
  const address = await server.run();
  return {
    bucket,
    settings: {
      endpoint: `http://127.0.0.1:${address.port}`, region: 'us-east-1', forcePathStyle: true,
      accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER',
    },
    async stop() { await server.close(); await rm(dir, { recursive: true, force: true }); },
  };
}
