// The event files a DuckDB reader should scan right now, so counts stay exact while
// `webcube compact` merges files: a listing of events/dt=*/, minus what the collector's
// compaction manifests mark as superseded (the collector's own rule, `visibleParts`).
// Manifests never change once written, so each is read once and cached by name.
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { visibleParts, MANIFEST_PREFIX, GENERATIONS_PREFIX, type CompactionManifest } from '@webcube/collector';

const isPart = (name: string) => name.endsWith('.parquet') && !name.startsWith('.') && !name.startsWith('_');

export class VisibleEventFiles {
  private readonly manifests = new Map<string, CompactionManifest>();

  constructor(private readonly dataDir: string) {}

  /** Absolute paths; files are listed before manifests are read, as visibleParts requires. */
  async list(): Promise<string[]> {
    const eventsDir = join(this.dataDir, 'events');
    const days = (await namesIn(eventsDir)).filter((d) => d.startsWith('dt='));
    // A day compaction swapped to a generation is read from that folder (the collector's
    // generations.ts); the pointer is read before the folder is listed.
    const perDay = await Promise.all(days.map(async (day) => {
      const dir = (await this.generation(day)) ?? day;
      return (await namesIn(join(eventsDir, ...dir.split('/')))).filter(isPart).map((f) => `events/${dir}/${f}`);
    }));
    const manifests = await this.readManifests(join(this.dataDir, MANIFEST_PREFIX));
    return visibleParts(perDay.flat(), manifests).sort().map((key) => join(this.dataDir, key));
  }

  /** `dt=…/_g-…` when the day has a current generation. */
  private async generation(day: string): Promise<string | undefined> {
    try {
      const p = JSON.parse(await readFile(join(this.dataDir, GENERATIONS_PREFIX, `${day}.json`), 'utf8')) as { current?: string | null };
      return p.current ? `${day}/${p.current}` : undefined;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
  }

  private async readManifests(dir: string): Promise<CompactionManifest[]> {
    const names = new Set((await namesIn(dir)).filter((n) => n.endsWith('.json')));
    for (const known of this.manifests.keys()) if (!names.has(known)) this.manifests.delete(known);
    for (const name of names) {
      if (this.manifests.has(name)) continue;
      // Manifests are placed by rename, so a listed one is complete.
      this.manifests.set(name, JSON.parse(await readFile(join(dir, name), 'utf8')) as CompactionManifest);
    }
    return [...this.manifests.values()];
  }
}

/** A folder that does not exist (yet) has no files; any other failure (permissions, I/O) is the user's to see. */
async function namesIn(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
