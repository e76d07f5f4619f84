// The store's record of built partitions (one row per table version): which table serves which
// pre-aggregation, partition and time zone, when it was built and up to where it holds data.
// Recording a row is what makes a freshly renamed table visible to queries; superseded versions
// stay readable for a grace period so queries already running on them finish.
import type { PreAggStore, StoreColumn } from './stores/types.ts';

export const BUILD_LOG_TABLE = 'webcube_preagg_builds';

export interface BuildRecord {
  readonly tableName: string;
  readonly preAggregation: string;
  readonly timezone: string;
  /** Local partition start/end (inclusive), '' for an unpartitioned rollup. */
  readonly partitionStart: string;
  readonly partitionEnd: string;
  readonly structureVersion: string;
  readonly contentVersion: string;
  readonly refreshKey: string;
  readonly builtAt: number;
  /** Local time up to which (exclusive) this table holds complete data; lambda reads the source from here. */
  readonly dataUntil: string;
  readonly rowCount: number;
  readonly supersededAt: number;
}

const COLUMNS: readonly StoreColumn[] = [
  { name: 'table_name', type: 'string' }, { name: 'pre_aggregation', type: 'string' },
  { name: 'timezone', type: 'string' }, { name: 'partition_start', type: 'string' },
  { name: 'partition_end', type: 'string' }, { name: 'structure_version', type: 'string' },
  { name: 'content_version', type: 'string' }, { name: 'refresh_key', type: 'string' },
  { name: 'built_at', type: 'integer' }, { name: 'data_until', type: 'string' },
  { name: 'row_count', type: 'integer' }, { name: 'superseded_at', type: 'integer' },
];

export class BuildLog {
  private ready?: Promise<void>;
  constructor(private readonly store: PreAggStore, readonly schema: string) {}

  private ensure(): Promise<void> {
    this.ready ??= (async () => {
      await this.store.ensureSchema(this.schema);
      const tables = await this.store.listTables(this.schema);
      if (!tables.includes(BUILD_LOG_TABLE)) {
        await this.store.createTable(this.schema, BUILD_LOG_TABLE, COLUMNS).catch(async (e) => {
          // Another process may have created it between list and create.
          if (!(await this.store.listTables(this.schema)).includes(BUILD_LOG_TABLE)) throw e;
        });
      }
    })().catch((e) => { this.ready = undefined; throw e; });
    return this.ready;
  }

  private get table(): string {
    return `${this.store.dialect.quote(this.schema)}.${this.store.dialect.quote(BUILD_LOG_TABLE)}`;
  }

  async record(r: BuildRecord): Promise<void> {
    await this.ensure();
    await this.store.insertRows(this.schema, BUILD_LOG_TABLE, COLUMNS, [[
      r.tableName, r.preAggregation, r.timezone, r.partitionStart, r.partitionEnd, r.structureVersion,
      r.contentVersion, r.refreshKey, r.builtAt, r.dataUntil, r.rowCount, r.supersededAt,
    ]]);
  }

  /** All live (not superseded) versions, newest first. */
  async list(preAggregation?: string): Promise<BuildRecord[]> {
    await this.ensure();
    const p = this.store.dialect.param;
    const rows = await this.store.query(
      `SELECT * FROM ${this.table} WHERE superseded_at = 0${preAggregation ? ` AND pre_aggregation = ${p(0)}` : ''} ORDER BY built_at DESC`,
      preAggregation ? [preAggregation] : []);
    return rows.map((r) => ({
      tableName: String(r.table_name), preAggregation: String(r.pre_aggregation), timezone: String(r.timezone),
      partitionStart: String(r.partition_start ?? ''), partitionEnd: String(r.partition_end ?? ''),
      structureVersion: String(r.structure_version), contentVersion: String(r.content_version),
      refreshKey: String(r.refresh_key ?? ''), builtAt: Number(r.built_at), dataUntil: String(r.data_until ?? ''),
      rowCount: Number(r.row_count), supersededAt: Number(r.superseded_at),
    }));
  }

  async supersede(tableNames: readonly string[], at = Date.now()): Promise<void> {
    if (tableNames.length === 0) return;
    await this.ensure();
    const p = this.store.dialect.param;
    await this.store.query(
      `UPDATE ${this.table} SET superseded_at = ${p(0)} WHERE table_name IN (${tableNames.map((_, i) => p(i + 1)).join(', ')})`,
      [at, ...tableNames]);
  }

  /** Drops tables superseded before `before` (through `drop`: original_sql lives in the source), and their log rows. */
  async dropSuperseded(before: number,
    drop: (table: string, preAggregation: string) => Promise<void> = (t) => this.store.dropTable(this.schema, t)): Promise<string[]> {
    await this.ensure();
    const p = this.store.dialect.param;
    const rows = await this.store.query(
      `SELECT table_name, pre_aggregation FROM ${this.table} WHERE superseded_at > 0 AND superseded_at <= ${p(0)}`, [before]);
    const names = rows.map((r) => String(r.table_name));
    for (const [i, n] of names.entries()) {
      await drop(n, String(rows[i]!.pre_aggregation));
      await this.store.query(`DELETE FROM ${this.table} WHERE table_name = ${p(0)}`, [n]);
    }
    return names;
  }
}
