// MySQL / MariaDB source engine through a mysql2 pool: client-side `?` binding (works for every
// statement, unlike server-side prepares), UTC session, dates kept as strings so no local time
// zone leaks in, KILL QUERY on time-out or abort.
import mysql, { type FieldPacket, type Pool, type PoolConnection } from 'mysql2/promise';
import { formatWallString, formatWallTime, withCancel, type Driver, type QueryOptions, type Row } from './types.ts';

export interface MySqlDriverConfig {
  readonly type: 'mysql';
  readonly host: string;
  readonly port: number;
  readonly database?: string;
  readonly user?: string;
  readonly password?: string;
  readonly socketPath?: string;
  readonly ssl: boolean;
  readonly maxPool: number;
  readonly queryTimeoutMs: number;
}

// mysql2 column type codes for DATE, DATETIME, TIMESTAMP (and their 2 variants).
const DATE_TYPES = new Set([7, 10, 12, 14, 17, 18]);

export class MySqlDriver implements Driver {
  readonly type = 'mysql';
  readonly dialect = 'mysql';
  private readonly pool: Pool;

  constructor(private readonly config: MySqlDriverConfig) {
    this.pool = mysql.createPool({
      host: config.host, port: config.port, database: config.database, user: config.user, password: config.password,
      ...(config.socketPath ? { socketPath: config.socketPath } : {}),
      ...(config.ssl ? { ssl: {} } : {}),
      connectionLimit: config.maxPool, dateStrings: true, supportBigNumbers: true, bigNumberStrings: true,
      timezone: 'Z', multipleStatements: false,
    });
    this.pool.on('connection', (c) => { c.query("SET time_zone = '+00:00'"); });
  }

  private namedZones?: Promise<boolean>;

  /**
   * CONVERT_TZ with a named zone silently yields NULL when the server has no time-zone tables;
   * fail with the fix instead of returning empty time buckets.
   */
  private async checkNamedZones(sql: string): Promise<void> {
    if (!/CONVERT_TZ\(.*?'[A-Za-z]+\/[^']+'\)/s.test(sql)) return;
    this.namedZones ??= this.pool.query("SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', 'Europe/Paris') AS t")
      .then(([rows]) => (rows as Row[])[0]?.t !== null);
    if (!(await this.namedZones)) {
      this.namedZones = undefined;
      throw new Error("MySQL has no time-zone tables, so CONVERT_TZ cannot use named zones: load them with 'mysql_tzinfo_to_sql /usr/share/zoneinfo | mysql -u root mysql' or query in UTC");
    }
  }

  async query(sql: string, params: readonly unknown[], opts?: QueryOptions): Promise<Row[]> {
    await this.checkNamedZones(sql);
    const conn: PoolConnection = await this.pool.getConnection();
    const threadId = conn.threadId;
    // Released when the server is done with the statement, not when a time-out frees the caller.
    const work = (async () => {
      try { return await (conn.query({ sql, values: params.map((p) => (p instanceof Date ? formatWallTime(p) : p)) }) as Promise<[unknown, FieldPacket[]]>); } finally { conn.release(); }
    })();
    const [rows, fields] = await withCancel(() => work, () => this.pool.query('KILL QUERY ?', [threadId]).then(() => undefined), opts, this.config.queryTimeoutMs);
    if (!Array.isArray(rows)) return [];
    const dateCols = (fields ?? []).filter((f) => DATE_TYPES.has(f.columnType ?? f.type ?? -1)).map((f) => f.name);
    return (rows as Row[]).map((r) => {
      const row: Row = { ...r };
      for (const c of dateCols) if (typeof row[c] === 'string') row[c] = formatWallString(row[c] as string);
      return row;
    });
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
