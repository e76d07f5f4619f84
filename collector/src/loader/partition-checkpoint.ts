// Where a partition's loading stands, kept beside the data in the sink (so every loader of the
// group sees it): `next` is the first offset not yet in Parquet; `pending` is the batch being
// written. It is written before the batch's files, so a loader that dies mid-batch leaves word of
// exactly which records it was writing: whoever takes the partition over writes that same range
// again under the same seed, which gives the same file names (overwriting, never duplicating).
import type { Sink } from '../sinks/sink.ts';

export interface Checkpoint { readonly next: string; readonly pending?: { readonly from: string; readonly to: string } }

export const checkpointKey = (group: string, topic: string, partition: number) => `loader/${group}/${topic}/${partition}.json`;

export async function readCheckpoint(sink: Sink, key: string): Promise<Checkpoint | undefined> {
  const bytes = await sink.getBytes(key);
  if (!bytes) return undefined;
  const c = JSON.parse(Buffer.from(bytes).toString('utf8')) as Checkpoint;
  if (typeof c.next !== 'string') throw new Error(`loader checkpoint ${key} is malformed`);
  return c;
}

export const writeCheckpoint = (sink: Sink, key: string, c: Checkpoint) => sink.putBytes(key, JSON.stringify(c));
