// Opens the store the config names: the DuckDB file by default, MySQL with CUBEJS_EXT_DB_TYPE=mysql.
import type { PreAggConfig } from '../config.ts';
import { DuckDBStore } from './duckdb.ts';
import { MySQLStore } from './mysql.ts';
import type { PreAggStore } from './types.ts';

export async function openStore(config: PreAggConfig): Promise<PreAggStore> {
  const store = config.extDbType === 'mysql'
    ? await MySQLStore.open(config.mysql)
    : await DuckDBStore.open(config.duckdbPath);
  await store.ensureSchema(config.schema);
  return store;
}
