// Compaction manifests: events/_compaction/<id>.json, written before a merged file becomes
// visible and kept afterwards as a tombstone. They let readers, later compactions and a
// collector replaying its spool tell which part files a merge superseded.
// (Hive, Athena, Presto and Trino skip names starting with "_"; no reader globs *.json as events.)
import type { Sink } from '../sinks/sink.ts';

export interface CompactionManifest {
  readonly id: string;
  readonly dt: string;
  readonly created: number;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Set by a generation swap (partition-swap.ts): the generation that holds the outputs. Such a
   *  manifest only records what was merged (by name); the swap, not the manifest, makes it visible. */
  readonly generation?: string;
}

export const MANIFEST_PREFIX = 'events/_compaction/';
export const manifestKey = (id: string): string => `${MANIFEST_PREFIX}${id}.json`;

export async function readManifests(sink: Sink, dt?: string): Promise<CompactionManifest[]> {
  const keys = (await sink.list(MANIFEST_PREFIX)).filter((k) => k.endsWith('.json'));
  const out: CompactionManifest[] = [];
  for (const key of keys) {
    if (dt !== undefined && !key.includes(`/${dt}-`)) continue;
    const bytes = await sink.getBytes(key);
    if (bytes) out.push(JSON.parse(Buffer.from(bytes).toString('utf8')) as CompactionManifest);
  }
  return out;
}

export async function writeManifest(sink: Sink, m: CompactionManifest): Promise<void> {
  await sink.putBytes(manifestKey(m.id), JSON.stringify(m));
}
