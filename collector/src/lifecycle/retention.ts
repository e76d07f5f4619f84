// Retention by day: every dt= partition older than the retention period leaves events/ and bad/
// (moved to the archive location first when one is set). A day disappears for readers in one
// step: a manifest listing all of its event files as superseded (with no outputs) is written
// before the first file is deleted, so manifest-aware readers (DuckDB) see the whole day or
// none of it; Hive engines get the partition dropped from the metastore first (`beforeDrop`).
import { basename, join } from 'node:path';
import { mkdir, rm } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import type { Sink } from '../sinks/sink.ts';
import { compactTimestamp, dtOfKey } from '../storage/part-name.ts';
import { withDayLock, recover } from '../compact/compact-day.ts';
import { writeManifest, MANIFEST_PREFIX } from '../compact/manifest.ts';
import { generationPrefix, pointerKey } from '../compact/generations.ts';
import { listVisibleEventFiles } from '../compact/visible-parts.ts';

const DAY_MS = 86_400_000;

export interface RetentionDay {
  readonly dt: string;
  readonly eventFiles: readonly string[];
  readonly badFiles: readonly string[];
}

export interface RetentionOptions {
  /** Called before a day's files go (e.g. unregister the Hive partition); a throw skips the day. */
  readonly beforeDrop?: (dt: string) => Promise<void>;
  readonly archive?: Sink;
  readonly log?: (line: string) => void;
}

/** The first day kept: days strictly before it are dropped. */
export function retentionCutoff(retentionDays: number, now: number): string {
  return new Date(Math.floor(now / DAY_MS) * DAY_MS - retentionDays * DAY_MS).toISOString().slice(0, 10);
}

/** Days before the cutoff with their files in events/ (manifests excluded) and bad/. */
export async function planRetention(sink: Sink, cutoff: string): Promise<RetentionDay[]> {
  const byDay = new Map<string, { events: string[]; bad: string[] }>();
  const add = (key: string, kind: 'events' | 'bad') => {
    const dt = dtOfKey(key);
    if (!dt || dt >= cutoff) return;
    const d = byDay.get(dt) ?? { events: [], bad: [] };
    d[kind].push(key);
    byDay.set(dt, d);
  };
  for (const key of await sink.list('events/')) if (!key.startsWith(MANIFEST_PREFIX)) add(key, 'events');
  for (const key of await sink.list('bad/')) add(key, 'bad');
  return [...byDay.entries()].sort(([a], [b]) => a.localeCompare(b))
    .map(([dt, d]) => ({ dt, eventFiles: d.events, badFiles: d.bad }));
}

/** Copies keys to the archive; a generation's file lands in its day folder there (the archive has no generations). */
async function copyTo(sink: Sink, archive: Sink, keys: readonly string[]): Promise<void> {
  const dir = join(sink.stagingDir, `archive-${randomUUID()}`);
  await mkdir(dir, { recursive: true });
  try {
    for (const [i, key] of keys.entries()) {
      const file = join(dir, String(i));
      await sink.download(key, file);
      const dt = dtOfKey(key);
      await archive.putFile(file, dt && key.startsWith(generationPrefix(dt, null)) ? `${generationPrefix(dt, null)}${basename(key)}` : key);
    }
  } finally { await rm(dir, { recursive: true, force: true }); }
}

/** Drops one day under its lock; the day's files are re-listed inside the lock (a compaction may have run). */
export async function dropDay(sink: Sink, dt: string, o: RetentionOptions = {}): Promise<RetentionDay | 'busy'> {
  return withDayLock(sink, dt, async () => {
    await recover(sink, dt);
    const eventFiles = await sink.list(`events/dt=${dt}/`);
    const badFiles = await sink.list(`bad/dt=${dt}/`);
    // The files a reader sees: a generation swap leaves replaced copies behind until its grace ends.
    if (o.archive) await copyTo(sink, o.archive, [...await listVisibleEventFiles(sink, dt), ...badFiles]);
    await o.beforeDrop?.(dt);
    if (eventFiles.length > 0) {
      await writeManifest(sink, { id: `${dt}-${compactTimestamp(Date.now())}-retention-${randomUUID()}`, dt, created: Date.now(), inputs: eventFiles, outputs: [] });
    }
    await sink.delete(eventFiles);
    await sink.delete(badFiles);
    await sink.delete([pointerKey(dt)]);
    return { dt, eventFiles, badFiles };
  });
}

export interface RetentionResult {
  readonly cutoff: string;
  readonly dropped: readonly RetentionDay[];
  readonly busy: readonly string[];
}

export async function applyRetention(sink: Sink, retentionDays: number, now: number, o: RetentionOptions = {}): Promise<RetentionResult> {
  const cutoff = retentionCutoff(retentionDays, now);
  const dropped: RetentionDay[] = [];
  const busy: string[] = [];
  for (const day of await planRetention(sink, cutoff)) {
    const r = await dropDay(sink, day.dt, o);
    if (r === 'busy') busy.push(day.dt);
    else {
      dropped.push(r);
      o.log?.(`dt=${day.dt}: ${o.archive ? 'archived' : 'deleted'} ${r.eventFiles.length} event file(s), ${r.badFiles.length} bad-row file(s)`);
    }
  }
  return { cutoff, dropped, busy };
}
