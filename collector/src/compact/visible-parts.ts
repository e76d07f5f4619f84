// The exact set of event files a reader should scan: what a glob lists, minus what compaction
// manifests say is superseded. Rule per manifest: if every output is listed, its inputs are
// superseded; otherwise the merge is unfinished (or being rolled back) and its outputs are
// ignored. Since a manifest exists before its first output appears and outlives its inputs,
// a reader that lists files and then reads manifests counts every event exactly once.
import type { Sink } from '../sinks/sink.ts';
import type { CompactionManifest } from './manifest.ts';
import { readManifests } from './manifest.ts';
import { GENERATIONS_PREFIX, dayPrefix, directParts, generationPrefix, pointerKey, readPointer, type GenerationPointer } from './generations.ts';

export function visibleParts(listed: readonly string[], manifests: readonly CompactionManifest[]): string[] {
  const present = new Set(listed);
  const hidden = new Set<string>();
  for (const m of manifests) {
    if (m.generation) continue;
    const complete = m.outputs.every((o) => present.has(o));
    for (const k of complete ? m.inputs : m.outputs) hidden.add(k);
  }
  return listed.filter((k) => !hidden.has(k));
}

/** Event part files (keys) to read, optionally for one day, with compaction taken into account.
 *  A day swapped to a generation is read from that folder; pointers are read before the listing,
 *  so a pointer that moves on meanwhile still names a complete folder (kept for the grace period). */
export async function listVisibleEventFiles(sink: Sink, dt?: string): Promise<string[]> {
  const pointers = new Map<string, GenerationPointer>();
  const pointerKeys = dt ? [pointerKey(dt)] : (await sink.list(GENERATIONS_PREFIX)).filter((k) => /\/dt=\d{4}-\d{2}-\d{2}\.json$/.test(k));
  for (const key of pointerKeys) {
    const day = /dt=(\d{4}-\d{2}-\d{2})\.json$/.exec(key)![1]!;
    const p = await readPointer(sink, day);
    if (p) pointers.set(day, p);
  }
  const listed = await sink.list(dt ? dayPrefix(dt) : 'events/');
  const days = [...new Set(listed.map((k) => /^events\/dt=(\d{4}-\d{2}-\d{2})\//.exec(k)?.[1]).filter((d): d is string => d !== undefined))];
  const files = days.flatMap((day) => directParts(listed, generationPrefix(day, pointers.get(day)?.current ?? null)));
  return visibleParts(files, await readManifests(sink, dt));
}
