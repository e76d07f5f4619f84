// Embedded DuckDB source engine: one database instance, a pool of connections, `atomic.events`
// over the collector's Parquet files (re-pointed when the first files appear), time-outs and
// cancellation through connection.interrupt().
import { DuckDBInstance, DuckDBTypeId, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { ConnectionPool } from './connection-pool.ts';
import { emptyViewSql, hasEventFiles, parquetFileGroupsViewSql, parquetViewSql } from './duckdb-events-view.ts';
import { ParquetFileColumns } from './parquet-file-columns.ts';
import { VisibleEventFiles } from './visible-event-files.ts';
import { formatWallTime, withCancel, type Driver, type QueryOptions, type Row } from './types.ts';

export interface DuckDbDriverConfig {
  readonly type: 'duckdb';
  /** WEBCUBE_DATA_DIR: the collector's root; events are read from <dataDir>/events. */
  readonly dataDir: string;
  /** CUBEJS_DB_DUCKDB_DATABASE_PATH, ':memory:' by default. */
  readonly databasePath: string;
  readonly maxPool: number;
  readonly queryTimeoutMs: number;
  /** Define atomic.events (off for stores that only hold rollups). */
  readonly defineEvents: boolean;
}

const STRING_TYPES = new Set<number>([DuckDBTypeId.BIGINT, DuckDBTypeId.HUGEINT, DuckDBTypeId.UBIGINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.DECIMAL]);
const TIME_TYPES = new Set<number>([DuckDBTypeId.TIMESTAMP, DuckDBTypeId.TIMESTAMP_MS, DuckDBTypeId.TIMESTAMP_NS, DuckDBTypeId.TIMESTAMP_S, DuckDBTypeId.DATE]);

function toParam(v: unknown): DuckDBValue {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return v;
  if (v instanceof Date) return formatWallTime(v);
  return JSON.stringify(v);
}

function convert(value: unknown, typeId: number): unknown {
  if (value === null || value === undefined) return null;
  if (TIME_TYPES.has(typeId) && value instanceof Date) return formatWallTime(value);
  if (typeId === DuckDBTypeId.TIMESTAMP_TZ && value instanceof Date) return value.toISOString();
  if (STRING_TYPES.has(typeId)) return String(value);
  if (typeof value === 'bigint') return value.toString();
  return value;
}

const isRemote = (dir: string) => /^[a-z0-9]+:\/\//i.test(dir);
const readsEvents = (sql: string) => /atomic"?\s*\.\s*"?events/i.test(sql);
// A file listed in the snapshot can be deleted by compaction before the engine opens it.
const vanishedFile = (e: unknown) => /No such file|Cannot open file|No files found/i.test(String(e));

export class DuckDbDriver implements Driver {
  readonly type = 'duckdb';
  readonly dialect = 'duckdb';
  private readonly pool: ConnectionPool<DuckDBConnection>;
  private eventsMode: 'none' | 'empty' | 'parquet' = 'none';
  private lastFileCheck = 0;
  private viewLock: Promise<void> = Promise.resolve();
  // Local data: atomic.events is re-pointed at an exact file list before each query, so a
  // query never counts an event twice or misses one while compaction swaps files.
  private readonly visibleFiles: VisibleEventFiles | undefined;
  private readonly fileColumns = new ParquetFileColumns();
  private viewFiles: string | undefined;

  private constructor(private readonly instance: DuckDBInstance, private readonly config: DuckDbDriverConfig) {
    this.pool = new ConnectionPool(config.maxPool, () => instance.connect());
    this.visibleFiles = config.defineEvents && !isRemote(config.dataDir) ? new VisibleEventFiles(config.dataDir) : undefined;
  }

  static async create(config: DuckDbDriverConfig): Promise<DuckDbDriver> {
    const instance = await DuckDBInstance.create(config.databasePath);
    const driver = new DuckDbDriver(instance, config);
    if (driver.visibleFiles) await driver.syncEventsView();
    else if (config.defineEvents) await driver.refreshEventsView(true);
    return driver;
  }

  /** Points atomic.events at the Parquet files, or at an empty relation while there are none. */
  async refreshEventsView(force = false): Promise<void> {
    const run = async () => {
      if (!force && this.eventsMode === 'parquet') return;
      const files = await hasEventFiles(this.config.dataDir);
      this.lastFileCheck = Date.now();
      const conn = await this.pool.acquire();
      try {
        await conn.run('CREATE SCHEMA IF NOT EXISTS atomic');
        if (files) {
          try { await conn.run(parquetViewSql(this.config.dataDir)); this.eventsMode = 'parquet'; return; } catch (e) {
            // A remote root (s3://…) that cannot be read is a configuration error, not "no data yet".
            if (isRemote(this.config.dataDir)) throw e;
          }
        }
        await conn.run(emptyViewSql());
        this.eventsMode = 'empty';
      } finally { this.pool.release(conn); }
    };
    this.viewLock = this.viewLock.then(run, run);
    return this.viewLock;
  }

  /** Re-points atomic.events at the current visible file list, when it changed. */
  private syncEventsView(): Promise<void> {
    const attempt = async () => {
      const files = await this.visibleFiles!.list();
      const key = files.join('\n');
      if (key === this.viewFiles) return;
      const conn = await this.pool.acquire();
      try {
        await conn.run('CREATE SCHEMA IF NOT EXISTS atomic');
        if (files.length === 0) await conn.run(emptyViewSql());
        else {
          const groups = await this.fileColumns.group(files, async (sql) => (await conn.runAndReadAll(sql)).getRowsJS());
          await conn.run(parquetFileGroupsViewSql(groups));
        }
        this.eventsMode = files.length > 0 ? 'parquet' : 'empty';
        this.viewFiles = key;
      } finally { this.pool.release(conn); }
    };
    // Compaction may delete a listed file before its columns are read: list again.
    const run = async () => {
      for (let i = 0; ; i++) {
        try { return await attempt(); } catch (e) { if (i >= 2 || !vanishedFile(e)) throw e; }
      }
    };
    this.viewLock = this.viewLock.then(run, run);
    return this.viewLock;
  }

  async query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    if (this.visibleFiles && readsEvents(sql)) {
      await this.syncEventsView();
      try {
        return await this.run(sql, params, opts);
      } catch (e) {
        if (!vanishedFile(e)) throw e;
        await this.syncEventsView();
        return this.run(sql, params, opts);
      }
    }
    if (this.config.defineEvents && this.eventsMode !== 'parquet' && Date.now() - this.lastFileCheck > 1000) await this.refreshEventsView();
    try {
      return await this.run(sql, params, opts);
    } catch (e) {
      // Compaction or retention may remove every file: go back to the empty relation once.
      if (this.config.defineEvents && /No files found that match the pattern/i.test(String(e))) {
        await this.refreshEventsView(true);
        return this.run(sql, params, opts);
      }
      throw e;
    }
  }

  private async run(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    const conn = await this.pool.acquire();
    // The connection goes back to the pool only when the engine is done with it, even if the
    // caller was released earlier by a time-out.
    const work = (async () => { try { return await conn.runAndReadAll(sql, params.map(toParam)); } finally { this.pool.release(conn); } })();
    const reader = await withCancel(() => work, () => conn.interrupt(), opts, this.config.queryTimeoutMs);
    const names = reader.columnNames();
    const types = reader.columnTypes().map((t) => t.typeId as number);
    return reader.getRowsJS().map((r) => {
      const row: Row = {};
      names.forEach((n, i) => { row[n] = convert(r[i], types[i]); });
      return row;
    });
  }

  async close(): Promise<void> {
    await this.viewLock.catch(() => {});
    for (const c of this.pool.drain()) c.closeSync();
    this.instance.closeSync();
  }
}
