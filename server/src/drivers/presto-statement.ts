// Runs one statement on the presto-client inside Cube's Presto/Trino driver, with Cube's own
// parameter inlining (formatAnsi, pinned by create-driver.test.ts). Cube's query() is bypassed
// for what it loses: it prepends each result page to the rows before it (`concat(page, rows)`),
// so an ordered result longer than one page (~1 MB) comes back scrambled; it drops the column
// types the values are converted by; and it has no cancel hook or session properties.
import { prestoValue } from './presto-values.ts';
import type { Row } from './types.ts';

interface Column { readonly name: string; readonly type: string }
interface PrestoError { readonly message?: string; readonly error?: unknown }

export interface PrestoClientLike {
  execute(opts: {
    query: string; schema?: string; headers?: Record<string, string>; session?: string;
    cancel?: () => boolean;
    data?: (error: unknown, page: unknown[][], columns: Column[]) => void;
    success?: () => void;
    error?: (error: PrestoError) => void;
  }): void;
}

/** The parts of Cube's PrestoDriver (and its TrinoDriver subclass) used here. */
export interface PrestoFamilyDriver {
  readonly client: PrestoClientLike;
  readonly config: { readonly schema?: string; readonly headers?: Record<string, string> };
  prepareQueryWithParams(sql: string, values: unknown[]): string;
}

export function isPrestoFamilyDriver(driver: unknown): driver is PrestoFamilyDriver {
  const d = driver as Partial<PrestoFamilyDriver> | null;
  return typeof d?.prepareQueryWithParams === 'function' && typeof d.client?.execute === 'function';
}

export interface StatementOptions {
  /** `X-Presto-Session` / `X-Trino-Session`: `name=value[,name=value…]`. */
  readonly session?: string;
  /** Polled between result pages; true cancels the query on the engine. */
  readonly cancelled?: () => boolean;
}

export function runPrestoStatement(driver: PrestoFamilyDriver, sql: string, values: readonly unknown[], opts: StatementOptions = {}): Promise<Row[]> {
  const query = driver.prepareQueryWithParams(sql, [...values]);
  return new Promise((resolve, reject) => {
    const rows: Row[] = [];
    driver.client.execute({
      query,
      schema: driver.config.schema || 'default',
      headers: driver.config.headers,
      ...(opts.session ? { session: opts.session } : {}),
      ...(opts.cancelled ? { cancel: opts.cancelled } : {}),
      data: (_error, page, columns) => {
        for (const values of page) {
          const row: Row = {};
          columns.forEach((c, i) => { row[c.name] = prestoValue(values[i], c.type); });
          rows.push(row);
        }
      },
      success: () => resolve(rows),
      // As Cube's driver words it: the message, then the engine's error object.
      error: (e) => reject(new Error(e.error ? `${e.message}\n${String(e.error)}` : String(e.message))),
    });
  });
}
