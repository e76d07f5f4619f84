// The S3 sink against the shared sink conformance suite, on a real S3-protocol server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { sinkConformance } from './sink-conformance.ts';
import { openS3Sink } from './s3.ts';
import { startS3TestServer } from './s3-test-server.ts';

sinkConformance('s3 sink', async () => {
  const server = await startS3TestServer();
  const staging = await mkdtemp(join(tmpdir(), 'webcube-s3stage-'));
  const sink = await openS3Sink({ bucket: server.bucket, prefix: `p-${randomUUID()}`, settings: server.settings, stagingDir: staging });
  return {
    sink,
    cleanup: async () => { await sink.close(); await server.stop(); await rm(staging, { recursive: true, force: true }); },
  };
});
