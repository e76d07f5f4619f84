// Wraps one of Cube's own drivers (@cubejs-backend/prestodb-driver, trino-driver, athena-driver)
// in our Driver interface: those drivers inline `?` parameters themselves (formatAnsi), and
// their rows carry timestamps as engine strings, normalised here.
import { formatWallString, withCancel, type Driver, type QueryOptions, type Row } from './types.ts';

export interface CubeJsDriverLike {
  query(sql: string, values: unknown[]): Promise<unknown>;
  release?(): Promise<void>;
}

const TS = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?( UTC)?$/;

export class CubeJsDriverAdapter implements Driver {
  constructor(
    readonly type: string,
    readonly dialect: string,
    readonly inner: CubeJsDriverLike,
    private readonly queryTimeoutMs: number,
  ) {}

  async query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    // Cube's drivers have no per-query cancel hook; the time-out still frees the caller.
    const rows = await withCancel(() => this.inner.query(sql, [...params]), () => {}, opts, this.queryTimeoutMs);
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
