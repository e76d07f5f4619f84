// Files a generation swap replaced, deleted once no query can still be reading them: each swap
// leaves a list with its due time under events/_generations/garbage/; every compaction run
// deletes the lists that are due (and their files).
import { randomUUID } from 'node:crypto';
import type { Sink } from '../sinks/sink.ts';
import { GENERATIONS_PREFIX } from './generations.ts';

const GARBAGE_PREFIX = `${GENERATIONS_PREFIX}garbage/`;

interface GarbageList { readonly notBefore: number; readonly keys: readonly string[] }

export async function scheduleGarbage(sink: Sink, keys: readonly string[], notBefore: number): Promise<void> {
  if (keys.length === 0) return;
  await sink.putBytes(`${GARBAGE_PREFIX}${notBefore}-${randomUUID()}.json`, JSON.stringify({ notBefore, keys } satisfies GarbageList));
}

/** Deletes the files of every list due by `now`; returns how many files went. */
export async function collectGarbage(sink: Sink, now: number): Promise<number> {
  let deleted = 0;
  for (const key of await sink.list(GARBAGE_PREFIX)) {
    const bytes = await sink.getBytes(key);
    if (!bytes) continue;
    const list = JSON.parse(Buffer.from(bytes).toString('utf8')) as GarbageList;
    if (list.notBefore > now) continue;
    await sink.delete(list.keys);
    await sink.delete([key]);
    deleted += list.keys.length;
  }
  return deleted;
}
