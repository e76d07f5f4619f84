// The local sink against the shared sink conformance suite.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sinkConformance } from './sink-conformance.ts';
import { openLocalSink } from './local.ts';

sinkConformance('local sink', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-sink-'));
  const sink = await openLocalSink(dir);
  return { sink, cleanup: async () => { await sink.close(); await rm(dir, { recursive: true, force: true }); } };
});
