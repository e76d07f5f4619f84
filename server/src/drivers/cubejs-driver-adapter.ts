// Wraps one of Cube's own drivers (@cubejs-backend/prestodb-driver, trino-driver, athena-driver)
// in our Driver interface: those drivers inline `?` parameters themselves (formatAnsi). Presto
// and Trino statements run on the driver's presto-client in result order, their values
// converted by column type (presto-statement.ts); other drivers' rows carry timestamps as
// engine strings, normalised here by shape.
import { isPrestoFamilyDriver, runPrestoStatement } from './presto-statement.ts';
import { formatWallString, withCancel, type Driver, type QueryOptions, type Row } from './types.ts';

export interface CubeJsDriverLike {
  query(sql: string, values: unknown[]): Promise<unknown>;
  release?(): Promise<void>;
}

const TS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( UTC)?$/;

/**
 * Session properties the SQL of each engine's dialect relies on. PrestoDB refuses Cube's
 * `OFFSET n LIMIT m` unless offset_clause_enabled is on, and by default (legacy_timestamp) reads
 * a TIMESTAMP as a time in the session's zone, which shifts every zone change and bound time.
 */
const SESSION_PROPERTIES: Readonly<Record<string, string>> = { prestodb: 'offset_clause_enabled=true,legacy_timestamp=false' };

export class CubeJsDriverAdapter implements Driver {
  constructor(
    readonly type: string,
    readonly dialect: string,
    readonly inner: CubeJsDriverLike,
    private readonly queryTimeoutMs: number,
  ) {}

  async query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    const inner = this.inner;
    if (isPrestoFamilyDriver(inner)) {
      let cancelled = false;
      const run = () => runPrestoStatement(inner, sql, params, { session: SESSION_PROPERTIES[this.type], cancelled: () => cancelled });
      return withCancel(run, () => { cancelled = true; }, opts, this.queryTimeoutMs);
    }
    // Cube's other drivers have no per-query cancel hook; the time-out still frees the caller.
    const rows = await withCancel(() => inner.query(sql, [...params]), () => {}, opts, this.queryTimeoutMs);
    if (!Array.isArray(rows)) return [];
    return (rows as Row[]).map((r) => {
      const row: Row = {};
      for (const [k, v] of Object.entries(r)) row[k] = typeof v === 'string' && TS.test(v) ? formatWallString(v) : v;
      return row;
    });
  }

  async close(): Promise<void> {
    await this.inner.release?.();
  }
}
