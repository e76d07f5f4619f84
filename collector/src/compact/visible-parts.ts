// The exact set of event files a reader should scan: what a glob lists, minus what compaction
// manifests say is superseded. Rule per manifest: if every output is listed, its inputs are
// superseded; otherwise the merge is unfinished (or being rolled back) and its outputs are
// ignored. Since a manifest exists before its first output appears and outlives its inputs,
// a reader that lists files and then reads manifests counts every event exactly once.
import type { Sink } from '../sinks/sink.ts';
import type { CompactionManifest } from './manifest.ts';
import { readManifests } from './manifest.ts';

export function visibleParts(listed: readonly string[], manifests: readonly CompactionManifest[]): string[] {
  const present = new Set(listed);
  const hidden = new Set<string>();
  for (const m of manifests) {
    const complete = m.outputs.every((o) => present.has(o));
    for (const k of complete ? m.inputs : m.outputs) hidden.add(k);
  }
  return listed.filter((k) => !hidden.has(k));
}

/** Event part files (keys) to read, optionally for one day, with compaction taken into account. */
export async function listVisibleEventFiles(sink: Sink, dt?: string): Promise<string[]> {
  const listed = (await sink.list(dt ? `events/dt=${dt}/` : 'events/')).filter((k) => /^events\/dt=[^/]+\/[^/]+\.parquet$/.test(k));
  return visibleParts(listed, await readManifests(sink, dt));
}
