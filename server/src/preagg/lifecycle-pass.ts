// The refresh worker's share of the data lifecycle, run before each refresh pass: applies
// retention when WEBCUBE_RETENTION_DAYS is set (at most every WEBCUBE_RETENTION_EVERY_S), and
// serves the requests `webcube forget` / `webcube retention` leave under _lifecycle/rebuild/:
// partitions of days an erasure touched are rebuilt (forced, through the usual versioned swap,
// so a query reads the old version or the new one), partitions wholly before a retention cutoff
// are superseded (queries stop using them at once; the tables go after the drop grace period).
import {
  completeRebuild, loadLifecycleConfig, loadStorageConfig, openSink, pendingRebuilds, runRetention, type RebuildRequest,
} from '@webcube/collector';
import type { PreAggregations } from './pre-aggregations.ts';

const DAY_MS = 86_400_000;
const shift = (dt: string, days: number) => new Date(Date.parse(`${dt}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);

export interface LifecyclePassOptions {
  readonly preAggs: PreAggregations;
  readonly env: Record<string, string | undefined>;
  readonly log: (line: string) => void;
  /** Unregisters a day's partition from a Hive metastore before its files go (Presto/Trino). */
  readonly beforeDrop?: (dt: string) => Promise<void>;
  readonly now?: () => number;
}

/** Partitions are local-time ranges: a UTC day touches the local days either side of it. */
function ranges(days: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (const d of [...days].sort()) {
    const [from, to] = [shift(d, -1), shift(d, 1)];
    const last = out.at(-1);
    if (last && from <= shift(last[1], 1)) last[1] = to > last[1] ? to : last[1];
    else out.push([from, to]);
  }
  return out;
}

async function serve(o: LifecyclePassOptions, r: RebuildRequest): Promise<void> {
  const todo = ranges(r.days);
  if (r.dropBefore) {
    const old = (await o.preAggs.buildLog.list()).filter((b) => b.partitionEnd !== '' && b.partitionEnd.slice(0, 10) < r.dropBefore!);
    await o.preAggs.buildLog.supersede(old.map((b) => b.tableName), (o.now ?? Date.now)());
    if (old.length) o.log(`retention: ${old.length} pre-aggregation partition(s) before ${r.dropBefore} dropped`);
    // The partition holding the cutoff may reach back into a removed day (a local time zone
    // ahead of UTC); one behind UTC that starts before the cutoff was dropped and is rebuilt by
    // the next refresh from the kept data alone.
    todo.push([r.dropBefore, r.dropBefore]);
  }
  for (const dateRange of todo) {
    const built = await o.preAggs.refresh({ force: true, dateRange });
    o.log(`lifecycle: ${built.length} pre-aggregation partition(s) rebuilt for ${dateRange[0]}..${dateRange[1]}`);
  }
}

export function createLifecyclePass(o: LifecyclePassOptions): () => Promise<void> {
  const lc = loadLifecycleConfig(o.env);
  let lastRetention = 0;
  // Opened on the first pass and kept: a pass runs every few seconds and only lists a prefix.
  let sink: ReturnType<typeof openSink> | undefined;
  return async () => {
    const now = (o.now ?? Date.now)();
    if (lc.retentionDays !== undefined && now - lastRetention >= lc.retentionEveryMs) {
      lastRetention = now;
      const r = await runRetention(o.env, lc.retentionDays, { log: (l) => o.log(`retention: ${l}`), ...(o.beforeDrop ? { beforeDrop: o.beforeDrop } : {}) }, now);
      if (r.busy.length) o.log(`retention: ${r.busy.join(', ')} busy (compacting), retried next time`);
    }
    sink ??= openSink(loadStorageConfig(o.env)).catch((e: unknown) => { sink = undefined; throw e; });
    const s = await sink;
    for (const r of await pendingRebuilds(s)) {
      await serve(o, r);
      await completeRebuild(s, r.key);
    }
  };
}

/** Unregisters a day from the events table when the source is a Hive table: Trino's
 *  `system.unregister_partition`; PrestoDB 0.287 has no such procedure, and there a DELETE whose
 *  predicate is only the partition key drops the partition from the metastore (an external
 *  table's files stay, for retention to delete). */
export function hiveUnregister(table: string | undefined, catalog: string | undefined, run: (sql: string) => Promise<unknown>): ((dt: string) => Promise<void>) | undefined {
  const parts = table?.split('.') ?? [];
  const [cat, schema, name] = parts.length === 3 ? parts : [catalog, ...parts];
  if (!cat || !schema || !name || parts.length < 2) return undefined;
  const q = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return async (dt) => {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(dt)) throw new Error(`not a day: ${dt}`);
    try {
      await run(`CALL ${cat}.system.unregister_partition(${q(schema)}, ${q(name)}, ARRAY['dt'], ARRAY[${q(dt)}])`);
    } catch (e) {
      const message = (e as Error).message;
      if (/procedure not registered/i.test(message)) {
        const id = (s: string) => `"${s.replaceAll('"', '""')}"`;
        await run(`DELETE FROM ${id(cat)}.${id(schema)}.${id(name)} WHERE dt = ${q(dt)}`);
        return;
      }
      // Never registered (or synced away already): nothing to drop.
      if (!/does not exist|not found/i.test(message)) throw e;
    }
  };
}
