// How compaction stays exact on Presto and Trino, which list a partition's folder themselves:
//
// A Hive partition has one location, and both engines read the partition's metadata afresh for
// every query (no metastore cache in the catalogs webcube writes) and list only files directly in
// that folder (subfolders are ignored: PrestoDB 0.287 and Trino 476, checked). So compaction never
// changes the folder the engines read: it builds a new generation folder beside the inputs
// (events/dt=X/_g-…/, merged files plus every live file it did not merge, copied under the same
// name), then points the partition at it in one step, then deletes the old files after
// WEBCUBE_COMPACT_GRACE_S (longer than the longest query, so no running scan loses a file).
// A query therefore reads the old generation or the new one, each holding every event once.
//
// The one step, per metastore:
//  - file metastore (`hive.metastore=file`, webcube stack's default): a partition is a JSON file
//    (<table folder>/dt=X/.prestoSchema or .trinoSchema) whose "externalLocation" the engines
//    read per query; it is rewritten beside and renamed over the old one (atomic on a local
//    file system). PrestoDB's Hadoop file system checks a ..prestoSchema.crc when present: it is
//    removed first (a reader then reads the old file unchecked, or the new one).
//  - Thrift Hive metastore: alter_partition (one transaction) — not implemented yet.
// Options rejected on evidence: removing inputs after publishing outputs (a glob reader sees both
// in between), and two procedure calls (unregister_partition + register_partition: a reader in
// between sees no partition; PrestoDB 0.287 has no register_partition).
//
// Late files: the collector keeps writing into the day folder; for a day with a generation it
// copies each new file into the current generation under the day's lock before the write counts
// (generations.ts), and compaction carries over files written meanwhile, so none is lost.
// Caveat found on PrestoDB 0.287: its sync_partition_metadata derives partition names from
// locations and fails on a table with a moved partition ("Invalid partition spec"); Trino's
// compares names only and keeps the moved location. PrestoDB's create_empty_partition still adds
// a new day (checked), so a swap on PrestoDB says so once.
import { randomUUID } from 'node:crypto';
import { readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** Points one day's partition of one engine's table at a folder under the day's folder (null: the day folder). */
export interface PartitionSwap {
  readonly name: string;
  /** Fails (before anything changed) when the engine does not know the day's partition yet. */
  check(dt: string): Promise<void>;
  swap(dt: string, generation: string | null): Promise<void>;
}

const METADATA_FILES = ['.trinoSchema', '.prestoSchema'];

/** The new location: the partition's current one cut back to its dt= folder, plus the generation. */
export function generationLocation(current: string, dt: string, generation: string | null): string {
  const marker = `/dt=${dt}`;
  const at = current.lastIndexOf(marker);
  if (at < 0) throw new Error(`partition location ${current} has no ${marker} folder`);
  return `${current.slice(0, at + marker.length)}${generation ? `/${generation}` : ''}`;
}

/** A table of a file metastore: `<hive.metastore.catalog.dir>/<schema>/<table>` (a local folder). */
export function fileMetastoreSwap(tableDir: string, log = (line: string) => process.stderr.write(`webcube compact: ${line}\n`)): PartitionSwap {
  let warned = false;
  const partitionFile = async (dt: string): Promise<string> => {
    for (const name of METADATA_FILES) {
      const path = join(tableDir, `dt=${dt}`, name);
      if (await stat(path).then(() => true, () => false)) return path;
    }
    throw new Error(`the partition dt=${dt} is not registered in ${tableDir} yet (the API's partition sync adds it); compact it after`);
  };
  return {
    name: tableDir,
    async check(dt) { await partitionFile(dt); },
    async swap(dt, generation) {
      const file = await partitionFile(dt);
      const meta = JSON.parse(await readFile(file, 'utf8')) as { externalLocation?: string };
      if (!meta.externalLocation) throw new Error(`${file} has no externalLocation: not an external table's partition`);
      meta.externalLocation = generationLocation(meta.externalLocation, dt, generation);
      const tmp = join(tableDir, `dt=${dt}`, `.webcube-${randomUUID()}.tmp`);
      await writeFile(tmp, JSON.stringify(meta, null, 2));
      await rm(join(tableDir, `dt=${dt}`, '..prestoSchema.crc'), { force: true });
      await rename(tmp, file);
      if (file.endsWith('.prestoSchema') && !warned) {
        warned = true;
        log(`${tableDir}: PrestoDB's sync_partition_metadata fails on a table with a moved partition; add new days with CALL hive.system.create_empty_partition(schema, table, ARRAY['dt'], ARRAY['YYYY-MM-DD'])`);
      }
    },
  };
}

/** WEBCUBE_COMPACT_HIVE_TABLES: comma-separated file-metastore table folders. */
export function partitionSwaps(tableDirs: readonly string[]): PartitionSwap[] {
  return tableDirs.map((d) => fileMetastoreSwap(d));
}
