// A compacted day's generations: the folder under events/dt=X/ that holds the day's live files
// once compaction has swapped the Hive partition's location (partition-swap.ts explains why).
// The pointer events/_generations/dt=X.json says which one is current ({"current": null} or no
// pointer: the day folder itself) and, while a swap runs, which one is coming ("next").
// Readers that list files (DuckDB) read the pointer first, then list the folder it names; the
// old folder keeps its files for the grace period, so a reader never finds it emptied.
import { randomUUID } from 'node:crypto';
import { copyFile, link } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Sink } from '../sinks/sink.ts';
import { compactTimestamp, dtOfKey } from '../storage/part-name.ts';
import { readManifests } from './manifest.ts';

export const GENERATIONS_PREFIX = 'events/_generations/';

export interface GenerationPointer {
  /** Folder name under the day's folder (`_g-…`), or null for the day folder itself. */
  readonly current: string | null;
  /** Set while a compaction builds and swaps in this folder. */
  readonly next?: string;
}

export const pointerKey = (dt: string): string => `${GENERATIONS_PREFIX}dt=${dt}.json`;
export const dayPrefix = (dt: string): string => `events/dt=${dt}/`;
/** The prefix of a generation's files (the day folder for null). */
export const generationPrefix = (dt: string, gen: string | null): string => `${dayPrefix(dt)}${gen ? `${gen}/` : ''}`;
export const newGenerationName = (now: number): string => `_g-${compactTimestamp(now)}-${randomUUID().slice(0, 8)}`;

export async function readPointer(sink: Sink, dt: string): Promise<GenerationPointer | undefined> {
  const bytes = await sink.getBytes(pointerKey(dt));
  return bytes ? JSON.parse(Buffer.from(bytes).toString('utf8')) as GenerationPointer : undefined;
}

export async function writePointer(sink: Sink, dt: string, p: GenerationPointer): Promise<void> {
  await sink.putBytes(pointerKey(dt), JSON.stringify(p));
}

/** Parquet files directly in `prefix` (not in its subfolders), from a recursive listing. */
export const directParts = (listed: readonly string[], prefix: string): string[] =>
  listed.filter((k) => k.startsWith(prefix) && !k.slice(prefix.length).includes('/') && k.endsWith('.parquet'));

/**
 * The day's live files: the current generation's, plus files the collector put in the day folder
 * that no generation holds yet (by name) and no merge consumed (manifest inputs, by name).
 */
export async function liveDayFiles(sink: Sink, dt: string, p: GenerationPointer | undefined): Promise<string[]> {
  const listed = await sink.list(dayPrefix(dt));
  const base = directParts(listed, dayPrefix(dt));
  if (!p?.current) return base;
  const gen = directParts(listed, generationPrefix(dt, p.current));
  const held = new Set(gen.map((k) => basename(k)));
  const merged = new Set((await readManifests(sink, dt)).flatMap((m) => m.inputs.map((k) => basename(k))));
  return [...gen, ...base.filter((k) => !held.has(basename(k)) && !merged.has(basename(k)))];
}

/** Copies an object to another key of the same sink (the source stays). Event files never change
 *  once written, so on a local sink a hard link does (the staging dir is on the same file system). */
export async function copyKey(sink: Sink, from: string, to: string): Promise<void> {
  const tmp = join(sink.stagingDir, `copy-${randomUUID()}.tmp`);
  const local = sink.localPath(from);
  if (local) await link(local, tmp).catch(() => copyFile(local, tmp));
  else await sink.download(from, tmp);
  await sink.putFile(tmp, to);
}

const ADOPT_WAIT_MS = 15 * 60_000;
const ADOPT_RETRY_MS = 100;

/**
 * The collector's side: after writing event files, each one on a day whose partition was swapped
 * to a generation is copied into the current generation before the write counts as done. It waits
 * for the day's lock, so a compaction mid-swap either carried the file over itself or finishes
 * first. A day without a pointer needs nothing: a compaction writes its pointer before its last
 * listing of the day folder, so it sees any file written before this check.
 */
export async function adoptIntoGeneration(sink: Sink, keys: readonly string[],
  withDayLock: <T>(sink: Sink, dt: string, work: () => Promise<T>) => Promise<T | 'busy'>): Promise<void> {
  const byDay = new Map<string, string[]>();
  for (const key of keys) {
    const dt = dtOfKey(key);
    if (dt && key === `${dayPrefix(dt)}${basename(key)}`) byDay.set(dt, [...byDay.get(dt) ?? [], key]);
  }
  for (const [dt, files] of byDay) {
    if (!(await readPointer(sink, dt))) continue;
    const deadline = Date.now() + ADOPT_WAIT_MS;
    for (;;) {
      const r = await withDayLock(sink, dt, async () => {
        const p = await readPointer(sink, dt);
        if (!p?.current) return;
        const prefix = generationPrefix(dt, p.current);
        const held = new Set(directParts(await sink.list(prefix), prefix).map((k) => basename(k)));
        const merged = new Set((await readManifests(sink, dt)).flatMap((m) => m.inputs.map((k) => basename(k))));
        for (const f of files) if (!held.has(basename(f)) && !merged.has(basename(f))) await copyKey(sink, f, `${prefix}${basename(f)}`);
      });
      if (r !== 'busy') break;
      if (Date.now() > deadline) throw new Error(`dt=${dt} stayed locked for ${ADOPT_WAIT_MS / 60_000} minutes; files written there are not yet visible to Presto/Trino`);
      await new Promise((res) => setTimeout(res, ADOPT_RETRY_MS));
    }
  }
}
