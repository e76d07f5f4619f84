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
  const tmp = `wc_tmp_${randomBytes(8).toString('hex')}`;
  await store.createTable(o.schema, tmp, o.columns);
  let count = 0;
  try {
    for await (const batch of o.rows) {
      if (batch.length === 0) continue;
      await store.insertRows(o.schema, tmp, o.columns, batch);
      count += batch.length;
      o.log?.(`pre-aggregation ${o.schema}.${o.table}: ${count} rows loaded`);
    }
    await store.renameTable(o.schema, tmp, o.table);
  } catch (e) {
    await store.dropTable(o.schema, tmp).catch(() => undefined);
    throw e;
  }
  // After the rename because DuckDB cannot rename an indexed table; the table is still unseen
  // by queries until the build log records it.
  try {
    for (const ix of o.indexes ?? []) {
      await store.createIndex(o.schema, o.table, `${o.table.slice(0, 40)}_${ix.name}`.slice(0, 64), ix.columns);
    }
  } catch (e) {
    await store.dropTable(o.schema, o.table).catch(() => undefined);
    throw e;
  }
  return count;
}

/** Splits an array into batches of `size` rows. */
export function* batches<T>(rows: readonly T[], size: number): Iterable<T[]> {
  for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
}
