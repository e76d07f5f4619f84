// One Kafka partition's dedupe history (the keys md5(event_id, fingerprint) it has loaded), kept
// in the sink beside the partition's checkpoint so that it moves with the partition: a loader
// given the partition in a rebalance or after its owner died loads it and drops a tracker's
// retransmit of an event the previous owner wrote. In the sink the history is a list of immutable
// Parquet files, written before the checkpoint version that names them, so a batch's files, its
// new keys and its offset move forward in one step (the checkpoint publish). Bounded like the
// collector's index (dedupe-index.ts): keys older than COLLECTOR_DEDUPE_WINDOW_S and, beyond
// COLLECTOR_DEDUPE_MAX_IDS, the oldest flushes' keys fall below `floor` and are dropped.
// In the loader a copy sits in a DuckDB table per partition, the anti-join side of writeBatch.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { rm } from 'node:fs/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Sink } from '../sinks/sink.ts';
import type { DedupeLimits } from '../storage/dedupe-index.ts';
import { quoteLiteral } from '../storage/atomic-sql.ts';
import type { IdsFile, IdsState } from './partition-checkpoint.ts';

/** More files than this and the two adjacent ones with fewest keys are merged (size-tiered, so a
 *  key is rewritten about log2(files) times, not once per batch). */
const MAX_FILES = 16;
const EMPTY: IdsState = Object.freeze({ floor: 0, files: [] });
/** Parquet stores a UHUGEINT as a DOUBLE: the 128-bit key travels as two 64-bit halves. */
const SPLIT = '(k >> 64)::UBIGINT AS hi, (k & 18446744073709551615::UHUGEINT)::UBIGINT AS lo';
const JOIN = '((hi::UHUGEINT << 64) | lo::UHUGEINT)';

export class PartitionDedupe {
  private readonly table: string;
  /** The ids state the table holds (its JSON), or undefined before the first load. */
  private loaded: string | undefined;
  private state: IdsState = EMPTY;
  /** Files prepare() wrote for the batch in hand (a new keys file merged at once is one to delete). */
  private written: IdsFile[] = [];
  readonly unseenPredicate: string;

  constructor(private readonly conn: DuckDBConnection, private readonly sink: Sink, private readonly scratch: string,
    private readonly limits: DedupeLimits, partition: number, private readonly prefix: string) {
    this.table = `wc_seen_p${partition}`;
    this.unseenPredicate = `NOT EXISTS (SELECT 1 FROM ${this.table} x WHERE x.k = s._k)`;
  }

  get enabled(): boolean { return this.limits.maxIds > 0 && this.limits.windowMs > 0; }

  /** Makes the table hold `ids` (the partition's checkpoint's): a no-op while this loader is the one
   *  that published them, a load from the sink when the partition comes (back) from another loader. */
  async sync(ids: IdsState | undefined): Promise<void> {
    const want = ids ?? EMPTY;
    const json = JSON.stringify(want);
    if (json === this.loaded) return;
    this.loaded = undefined;
    const files = await Promise.all(want.files.map((f) => this.localCopy(f.key)));
    try {
      const source = files.length === 0
        ? '(SELECT NULL::UBIGINT AS hi, NULL::UBIGINT AS lo, NULL::BIGINT AS t WHERE false)'
        : `read_parquet([${files.map((f) => quoteLiteral(f.path)).join(', ')}])`;
      await this.conn.run(`CREATE OR REPLACE TABLE ${this.table} AS SELECT ${JOIN} AS k, t FROM ${source} WHERE t >= $1`, [want.floor]);
    } finally {
      for (const f of files) if (f.temp) await rm(f.path, { force: true });
    }
    this.state = want;
    this.loaded = json;
  }

  /** After a lost publish: deletes the key files prepare() wrote for the refused batch (no published
   *  version names them) and forces a load from the sink at the next sync. */
  async discard(): Promise<void> {
    this.loaded = undefined;
    const orphans = this.written.map((f) => f.key);
    this.written = [];
    if (orphans.length > 0) await this.sink.delete(orphans).catch((e: unknown) => process.stderr.write(`webcube loader: deleting a refused batch's dedupe files failed (left behind, harmless): ${(e as Error).message}\n`));
  }

  /** The partition went to another loader: its copy here would only take memory and disk. */
  async drop(): Promise<void> {
    this.loaded = undefined;
    this.state = EMPTY;
    await this.conn.run(`DROP TABLE IF EXISTS ${this.table}`);
  }

  async countSeen(table: string): Promise<number> {
    return Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.table} WHERE k IN (SELECT _k FROM ${table})`)).getRows()[0]![0]);
  }

  /** The ids state after the batch `name` whose kept keys are in `keptTable` (`_k`): writes the new
   *  keys' file and any merge to the sink (nothing refers to them until the checkpoint is published)
   *  and stages the keys in wc_new for applied(). */
  async prepare(keptTable: string, allNew: boolean, name: string, clockMs: number): Promise<IdsState | undefined> {
    if (!this.enabled) return undefined;
    // A loader whose clock is behind the previous owner's must not stamp keys below its floor.
    const nowMs = Math.max(clockMs, this.state.floor);
    this.written = [];
    await this.conn.run(allNew
      ? `CREATE OR REPLACE TEMP TABLE wc_new AS SELECT _k AS k, $1::BIGINT AS t FROM ${keptTable}`
      : `CREATE OR REPLACE TEMP TABLE wc_new AS SELECT DISTINCT _k AS k, $1::BIGINT AS t FROM ${keptTable} s WHERE ${this.unseenPredicate}`, [nowMs]);
    const added = Number((await this.conn.runAndReadAll('SELECT count(*) FROM wc_new')).getRows()[0]![0]);
    const floor = Math.max(this.state.floor, nowMs - this.limits.windowMs, await this.trimFloor());
    let files = this.state.files.filter((f) => f.maxT >= floor);
    if (added > 0) files = [...files, await this.writeFile(`${name}-`, 'SELECT k, t FROM wc_new', added, nowMs)];
    while (files.length > MAX_FILES) files = await this.mergeSmallest(files, floor);
    return Object.freeze({ floor, files });
  }

  /** The checkpoint naming `next` is published: the table takes the batch's keys and the new floor,
   *  and files no longer named are deleted. */
  async applied(next: IdsState | undefined): Promise<void> {
    if (!next) return;
    await this.conn.run(`INSERT INTO ${this.table} SELECT k, t FROM wc_new`);
    await this.conn.run(`DELETE FROM ${this.table} WHERE t < $1`, [next.floor]);
    await this.conn.run('DROP TABLE IF EXISTS wc_new');
    const kept = new Set(next.files.map((f) => f.key));
    const gone = [...this.state.files, ...this.written].filter((f) => !kept.has(f.key)).map((f) => f.key);
    this.written = [];
    this.state = next;
    this.loaded = JSON.stringify(next);
    // A reader that loaded the previous version just before this may miss a file: its load fails
    // and its batch is retried from the newer version.
    if (gone.length > 0) await this.sink.delete(gone).catch((e: unknown) => process.stderr.write(`webcube loader: deleting merged dedupe files failed (left behind, harmless): ${(e as Error).message}\n`));
  }

  async size(): Promise<number> {
    return Number((await this.conn.runAndReadAll(`SELECT count(*) FROM ${this.table}`)).getRows()[0]![0]);
  }

  /** The t below which keys go so that at most maxIds stay, counting the batch's new ones: keys
   *  share their flush's t, so whole flushes go, oldest first (as DedupeIndex.trim). */
  private async trimFloor(): Promise<number> {
    const perFlush = (await this.conn.runAndReadAll(`SELECT t, count(*) FROM (SELECT t FROM ${this.table} UNION ALL SELECT t FROM wc_new) GROUP BY t ORDER BY t DESC`)).getRows();
    let kept = 0;
    for (const [t, n] of perFlush) {
      kept += Number(n);
      if (kept >= this.limits.maxIds) return Number(t);
    }
    return 0;
  }

  private async mergeSmallest(files: readonly IdsFile[], floor: number): Promise<IdsFile[]> {
    let at = 0;
    for (let i = 1; i + 1 < files.length; i++) if (files[i]!.n + files[i + 1]!.n < files[at]!.n + files[at + 1]!.n) at = i;
    const pair = [files[at]!, files[at + 1]!];
    const local = await Promise.all(pair.map((f) => this.localCopy(f.key)));
    try {
      const source = `read_parquet([${local.map((f) => quoteLiteral(f.path)).join(', ')}])`;
      const [n, maxT] = (await this.conn.runAndReadAll(`SELECT count(*), coalesce(max(t), 0) FROM ${source} WHERE t >= $1`, [floor])).getRows()[0]!;
      if (Number(n) === 0) return [...files.slice(0, at), ...files.slice(at + 2)];
      const merged = await this.writeFile('merged-', `SELECT ${JOIN} AS k, t FROM ${source} WHERE t >= ${Math.trunc(floor)}`, Number(n), Number(maxT));
      return [...files.slice(0, at), merged, ...files.slice(at + 2)];
    } finally {
      for (const f of local) if (f.temp) await rm(f.path, { force: true });
    }
  }

  /** An immutable ids file: a fresh name each time, so no reader ever sees one change. */
  private async writeFile(stem: string, select: string, n: number, maxT: number): Promise<IdsFile> {
    const tmp = join(this.sink.stagingDir, `ids-${randomUUID()}.parquet`);
    await this.conn.run(`COPY (SELECT ${SPLIT}, t FROM (${select})) TO ${quoteLiteral(tmp)} (FORMAT parquet, COMPRESSION zstd)`);
    const key = `${this.prefix}${stem}${randomUUID().slice(0, 8)}.parquet`;
    await this.sink.putFile(tmp, key);
    const file = { key, n, maxT };
    this.written.push(file);
    return file;
  }

  private async localCopy(key: string): Promise<{ path: string; temp: boolean }> {
    const local = this.sink.localPath(key);
    if (local) return { path: local, temp: false };
    const path = join(this.scratch, `ids-${randomUUID()}.parquet`);
    await this.sink.download(key, path);
    return { path, temp: true };
  }
}
