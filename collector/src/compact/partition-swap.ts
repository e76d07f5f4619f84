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
//  - Thrift Hive metastore (`webcube stack start metastore`, docker-compose, any Hive 3 metastore):
//    the partition is read with get_partition and written back with only its storage location
//    changed by alter_partition, one metastore transaction (thriftMetastoreSwap below). Spoken
//    from Node (hive-metastore-client.ts, a generic binary-protocol codec): no JVM in the
//    collector's image, and a struct is sent back with every field it had, whatever the version.
// Options rejected on evidence: removing inputs after publishing outputs (a glob reader sees both
// in between), and two procedure calls (unregister_partition + register_partition: a reader in
// between sees no partition; PrestoDB 0.287 has no register_partition).
//
// Late files: the collector keeps writing into the day folder; for a day with a generation it
// copies each new file into the current generation under the day's lock before the write counts
// (generations.ts), and compaction carries over files written meanwhile, so none is lost.
// Caveat found on PrestoDB 0.287: its sync_partition_metadata derives partition names from
// locations and fails on a table with a moved partition ("Invalid partition spec"); Trino's
// compares names only and keeps the moved location. So the collector registers new days in these
// tables itself as it writes them (register() below), and a swap on PrestoDB says once why the
// API's sync fails from then on.
import { randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { addPartitionLike, alterPartition, MetastoreError, getPartition, locationOf, PARTITION_SD, sdOf, setLocation, tableLayout, type MetastoreAddress } from './hive-metastore-client.ts';

/** Points one day's partition of one engine's table at a folder under the day's folder (null: the day folder). */
export interface PartitionSwap {
  readonly name: string;
  /** Fails (before anything changed) when the engine does not know the day's partition yet. */
  check(dt: string): Promise<void>;
  swap(dt: string, generation: string | null): Promise<void>;
  /** Registers the day's partition (its day folder) when the engine does not know it yet. */
  register(dt: string): Promise<void>;
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
  /** A registered day's partition file and its day, as the template of a new day's. */
  const template = async (): Promise<{ file: string; dt: string } | undefined> => {
    const days = (await readdir(tableDir).catch(() => [] as string[])).filter((d) => /^dt=\d{4}-\d{2}-\d{2}$/.test(d)).sort().reverse();
    for (const day of days) {
      for (const name of METADATA_FILES) {
        const file = join(tableDir, day, name);
        if (await stat(file).then(() => true, () => false)) return { file, dt: day.slice(3) };
      }
    }
    return undefined;
  };
  const registered = new Set<string>();
  return {
    name: tableDir,
    async check(dt) { await partitionFile(dt); },
    // PrestoDB's sync_partition_metadata fails on a table with a moved partition, so new days are
    // registered here, as the engine itself writes a partition: a copy of a registered day's file
    // (same columns and format) pointing at the new day's folder. With no registered day yet no
    // partition has moved either, and the API's partition sync adds the first days.
    async register(dt) {
      if (registered.has(dt)) return;
      if (await partitionFile(dt).then(() => true, () => false)) { registered.add(dt); return; }
      const from = await template();
      if (!from) return;
      const meta = JSON.parse(await readFile(from.file, 'utf8')) as { externalLocation?: string };
      if (!meta.externalLocation) return;
      const day = generationLocation(meta.externalLocation, from.dt, null);
      meta.externalLocation = `${day.slice(0, day.length - from.dt.length)}${dt}`;
      await mkdir(join(tableDir, `dt=${dt}`), { recursive: true });
      const tmp = join(tableDir, `dt=${dt}`, `.webcube-${randomUUID()}.tmp`);
      await writeFile(tmp, JSON.stringify(meta, null, 2));
      const target = join(tableDir, `dt=${dt}`, from.file.endsWith('.prestoSchema') ? '.prestoSchema' : '.trinoSchema');
      await rename(tmp, target);
      registered.add(dt);
    },
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
        log(`${tableDir}: PrestoDB's sync_partition_metadata fails on a table with a moved partition (the API logs it); the collector registers new days in this table itself`);
      }
    },
  };
}

export interface MetastoreTable extends MetastoreAddress { readonly schema: string; readonly table: string }

/** `thrift://host:port/schema.table` → its parts; throws with the expected form otherwise. */
export function parseMetastoreTable(spec: string): MetastoreTable {
  const m = /^thrift:\/\/([^/:]+):(\d{1,5})\/([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)$/.exec(spec.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) throw new Error(`expected thrift://host:port/schema.table, got ${spec}`);
  return { host: m[1]!, port: Number(m[2]), schema: m[3]!.toLowerCase(), table: m[4]!.toLowerCase() };
}

/** A table of a Thrift Hive metastore, partitioned by dt alone. */
export function thriftMetastoreSwap(t: MetastoreTable): PartitionSwap {
  const name = `thrift://${t.host}:${t.port}/${t.schema}.${t.table}`;
  const partition = async (dt: string) => {
    const p = await getPartition(t, t.schema, t.table, dt);
    if (!p) throw new Error(`the partition dt=${dt} is not registered in ${name} yet (the API's partition sync adds it); compact it after`);
    return p;
  };
  const registered = new Set<string>();
  return {
    name,
    async check(dt) { await partition(dt); },
    // New days are added by the collector as it writes them, like an engine adds a partition: the
    // table's storage (columns, format, serde) at <table location>/dt=X. With a moved partition in
    // the table PrestoDB's sync_partition_metadata fails, so the API's sync cannot be relied on.
    async register(dt) {
      if (registered.has(dt)) return;
      if (!(await getPartition(t, t.schema, t.table, dt))) {
        // No table yet: the API creates it and its first sync adds the days written so far.
        const layout = await tableLayout(t, t.schema, t.table).catch((e: unknown) => {
          if (e instanceof MetastoreError && e.field === 2) return undefined; // NoSuchObjectException
          throw e;
        });
        if (!layout) return;
        const { location, keys } = layout;
        if (keys.length !== 1 || keys[0] !== 'dt') throw new Error(`${name} is partitioned by (${keys.join(', ')}), expected dt alone`);
        await addPartitionLike(t, t.schema, t.table, dt, `${location.replace(/\/+$/, '')}/dt=${dt}`);
      }
      registered.add(dt);
    },
    async swap(dt, generation) {
      const p = await partition(dt);
      const sd = sdOf(p, PARTITION_SD);
      setLocation(sd, generationLocation(locationOf(sd), dt, generation));
      await alterPartition(t, t.schema, t.table, p);
    },
  };
}

const swapsByTables = new Map<string, PartitionSwap[]>();

/** WEBCUBE_COMPACT_HIVE_TABLES (file-metastore table folders) and WEBCUBE_COMPACT_HIVE_METASTORE
 *  (Thrift metastore tables): one set per process, so the days each has registered are remembered. */
export function partitionSwaps(tableDirs: readonly string[], metastoreTables: readonly MetastoreTable[] = []): PartitionSwap[] {
  const key = JSON.stringify([tableDirs, metastoreTables]);
  if (!swapsByTables.has(key)) swapsByTables.set(key, [...tableDirs.map((d) => fileMetastoreSwap(d)), ...metastoreTables.map((t) => thriftMetastoreSwap(t))]);
  return swapsByTables.get(key)!;
}

/** Registers each day of `keys` (event files just written) with every engine table that needs it. */
export async function registerDays(swaps: readonly PartitionSwap[], keys: readonly string[]): Promise<void> {
  if (swaps.length === 0) return;
  const days = new Set(keys.map((k) => /^events\/dt=(\d{4}-\d{2}-\d{2})\//.exec(k)?.[1]).filter((d): d is string => d !== undefined));
  for (const swap of swaps) for (const dt of days) await swap.register(dt);
}
