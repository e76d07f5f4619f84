// Moves rows into the store as one new table version: load into a temporary table in batches
// (progress to the log), rename it into place, add indexes, so readers never see a partial
// partition. A failed load drops what it created and rethrows.
import { randomBytes } from 'node:crypto';
import type { Cell, PreAggStore, StoreColumn } from './stores/types.ts';

export interface LoadTableOptions {
  readonly schema: string;
  readonly table: string;
  readonly columns: readonly StoreColumn[];
  readonly rows: AsyncIterable<readonly Cell[][]> | Iterable<readonly Cell[][]>;
  readonly indexes?: readonly { readonly name: string; readonly columns: readonly string[] }[];
  readonly log?: (msg: string) => void;
}

/** Returns the number of rows loaded. */
export async function loadTable(store: PreAggStore, o: LoadTableOptions): Promise<number> {
  const tmp = tmpTableName();
  let count = 0;
  try {
    // Inside the try: a connection lost after the server created the table still needs cleanup.
    await store.createTable(o.schema, tmp, o.columns);
    for await (const batch of o.rows) {
      if (batch.length === 0) continue;
      await store.insertRows(o.schema, tmp, o.columns, batch);
      count += batch.length;
      o.log?.(`pre-aggregation ${o.schema}.${o.table}: ${count} rows loaded`);
    }
    await store.renameTable(o.schema, tmp, o.table);
  } catch (e) {
    await dropWithRetry(store, o.schema, tmp);
    throw e;
  }
  // After the rename because DuckDB cannot rename an indexed table; the table is still unseen
  // by queries until the build log records it.
  try {
    for (const ix of o.indexes ?? []) {
      await store.createIndex(o.schema, o.table, `${o.table.slice(0, 40)}_${ix.name}`.slice(0, 64), ix.columns);
    }
  } catch (e) {
    await dropWithRetry(store, o.schema, o.table);
    throw e;
  }
  return count;
}

const TMP_PREFIX = 'wc_tmp_';

/** `wc_tmp_<epoch ms>_<random>`: the time lets a sweep find leftovers of crashed builds. */
export function tmpTableName(now = Date.now()): string {
  return `${TMP_PREFIX}${now}_${randomBytes(4).toString('hex')}`;
}

/** The connection that failed the load may be gone too: try the cleanup on fresh ones. */
async function dropWithRetry(store: PreAggStore, schema: string, table: string): Promise<void> {
  for (let i = 0; i < 3; i++) {
    try { await store.dropTable(schema, table); return; } catch {
      await new Promise((r) => setTimeout(r, 100 * (i + 1)));
    }
  }
}

/** Drops temporary tables left by builds that died (process killed) more than `olderThanMs` ago. */
export async function sweepTmpTables(store: PreAggStore, schema: string, olderThanMs: number, now = Date.now()): Promise<string[]> {
  const stale = (await store.listTables(schema)).filter((t) => {
    const m = /^wc_tmp_(\d+)_/.exec(t);
    return m && Number(m[1]) < now - olderThanMs;
  });
  for (const t of stale) await store.dropTable(schema, t);
  return stale;
}

/** Splits an array into batches of `size` rows. */
export function* batches<T>(rows: readonly T[], size: number): Iterable<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
