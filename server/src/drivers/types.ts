// The source-engine contract: run rendered SQL with bound parameters, cancellable. Every
// driver returns rows keyed by column alias with one value convention, so results do not
// depend on the engine: BIGINT/DECIMAL as strings (as Cube's Postgres driver), other numbers as
// numbers, timestamps/dates as `YYYY-MM-DDTHH:mm:ss.SSS` (the wall time the SQL produced).

export type Row = Record<string, unknown>;

export interface QueryOptions {
  readonly signal?: AbortSignal;
  /** Overrides the driver's default query timeout for this query. */
  readonly timeoutMs?: number;
}

export interface Driver {
  /** CUBEJS_DB_TYPE of the engine: duckdb, mysql, prestodb, trino, athena. */
  readonly type: string;
  /** SQL dialect name for getDialect(). */
  readonly dialect: string;
  query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]>;
  close(): Promise<void>;
}

/** Thrown when a query ran past its time-out or was cancelled; the engine was interrupted. */
export class QueryCancelled extends Error {
  constructor(message: string) { super(message); this.name = 'QueryCancelled'; }
}

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** A Date holding wall time in its UTC fields → Cube's local time string. */
export function formatWallTime(d: Date): string {
  return `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)}`;
}

/** `YYYY-MM-DD[ HH:mm:ss[.fff…]]` → Cube's local time string. */
export function formatWallString(s: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2}:\d{2})(?:\.(\d+))?)?/.exec(s);
  if (!m) return s;
  return `${m[1]}T${m[2] ?? '00:00:00'}.${(m[3] ?? '').padEnd(3, '0').slice(0, 3)}`;
}

/**
 * Runs `fn` with a time-out and abort signal. On either, the caller is released at once and
 * `cancel` (the engine-side interrupt) is repeated until `fn` settles, because an interrupt sent
 * before the engine has started the statement is otherwise lost.
 */
export function withCancel<T>(fn: () => Promise<T>, cancel: () => void | Promise<void>, opts: QueryOptions | undefined, defaultTimeoutMs: number): Promise<T> {
  if (opts?.signal?.aborted) return Promise.reject(new QueryCancelled('Query cancelled'));
  const timeoutMs = opts?.timeoutMs ?? defaultTimeoutMs;
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    let retry: NodeJS.Timeout | undefined;
    const interrupt = () => { void Promise.resolve().then(cancel).catch(() => {}); };
    const stop = (why: string) => {
      if (settled) return;
      settled = true;
      cleanup();
      reject(new QueryCancelled(why));
      interrupt();
      retry = setInterval(interrupt, 100);
    };
    const onAbort = () => stop('Query cancelled');
    const timer = timeoutMs > 0 ? setTimeout(() => stop(`Query timeout: exceeded ${Math.round(timeoutMs / 1000)} s`), timeoutMs) : undefined;
    const cleanup = () => { if (timer) clearTimeout(timer); opts?.signal?.removeEventListener('abort', onAbort); };
    opts?.signal?.addEventListener('abort', onAbort, { once: true });
    fn().then(
      (v) => { if (retry) clearInterval(retry); if (!settled) { settled = true; cleanup(); resolve(v); } },
      (e) => { if (retry) clearInterval(retry); if (!settled) { settled = true; cleanup(); reject(e); } },
    );
  });
}
