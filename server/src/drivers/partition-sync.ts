// New dt= folders become partitions on Presto and Trino without a hand step: while the API (or
// the refresh worker) runs, the Hive table of the events is synced with its folders in the
// background, every few seconds, with the Hive connector's own procedure. Days removed from
// storage (retention) are dropped from the table the same way. Athena needs none of this: its
// table uses partition projection.
import type { Driver, QueryOptions, Row } from './types.ts';

export interface PartitionSyncOptions {
  /** `catalog.schema.table`, or `schema.table` in the driver's catalog. */
  readonly table: string;
  readonly catalog?: string;
  readonly intervalMs: number;
  readonly log?: (line: string) => void;
}

/** The Hive connector's procedure call, or undefined when the name is not a Hive table's. */
export function partitionSyncSql(table: string, defaultCatalog?: string): string | undefined {
  const parts = table.split('.');
  const [catalog, schema, name] = parts.length === 3 ? parts : [defaultCatalog, ...parts];
  if (!catalog || !schema || !name || parts.length < 2) return undefined;
  const quote = (s: string) => `'${s.replaceAll("'", "''")}'`;
  return `CALL ${catalog}.system.sync_partition_metadata(${quote(schema)}, ${quote(name)}, 'FULL')`;
}

export class PartitionSyncingDriver implements Driver {
  readonly type: string;
  readonly dialect: string;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastError: string | undefined;

  constructor(private readonly inner: Driver, private readonly sql: string, private readonly options: PartitionSyncOptions) {
    this.type = inner.type;
    this.dialect = inner.dialect;
    void this.syncNow();
    this.timer = setInterval(() => void this.syncNow(), options.intervalMs);
    this.timer.unref();
  }

  /** One sync at a time; a failure is logged once per distinct cause and retried next time. */
  syncNow(): Promise<void> {
    this.running ??= this.inner.query(this.sql, []).then(
      () => {
        if (this.lastError) this.log(`partition sync of ${this.options.table} works again`);
        this.lastError = undefined;
      },
      (error: unknown) => {
        const message = error instanceof Error ? error.message : String(error);
        if (message !== this.lastError) this.log(`partition sync of ${this.options.table} failed (new days stay invisible until it works): ${message}`);
        this.lastError = message;
      },
    ).finally(() => { this.running = undefined; });
    return this.running;
  }

  query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    return this.inner.query(sql, params, opts);
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
    await this.inner.close();
  }

  private log(line: string): void {
    (this.options.log ?? ((l: string) => process.stderr.write(`webcube: ${l}\n`)))(line);
  }
}
