// Shared fixture for the query tests (and tests/dialect-matrix): a small shop model (orders → users many-to-one,
// orders → items one-to-many for fan-out) and rows loaded identically into DuckDB, MariaDB, PrestoDB and Trino.
import { compileYamlModel } from './test-model.ts';

export const QM_MODEL = `
cubes:
  - name: orders
    sql_table: qm_orders
    joins:
      - {name: users, relationship: many_to_one, sql: "{CUBE}.user_id = {users.id}"}
      - {name: items, relationship: one_to_many, sql: "{CUBE}.id = {items}.order_id"}
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: status, sql: status, type: string}
      - {name: amount, sql: amount, type: number}
      - {name: spot, type: geo, latitude: {sql: "{CUBE}.amount / 8e0"}, longitude: {sql: "{CUBE}.id"}}
      - name: created_at
        sql: created_at
        type: time
        granularities:
          - {name: two_weeks, interval: 2 weeks, origin: '2024-01-01'}
          - {name: half_year, interval: 6 months, origin: '2023-10-01'}
          # Origins after some rows, one half a second after a row: buckets reach back before them.
          - {name: halves_from_april, interval: 6 months, origin: '2024-04-01'}
          - {name: ten_days, interval: 10 days, origin: '2024-03-08T12:00:00.500'}
    measures:
      - {name: count, type: count}
      - {name: total, sql: amount, type: sum}
      - {name: avg_amount, sql: amount, type: avg}
      - {name: avg_ticket, sql: "1.0 * {total} / {count}", type: number}
      - {name: users, sql: user_id, type: count_distinct}
      - {name: done_total, sql: amount, type: sum, filters: [{sql: "{CUBE}.status = 'done'"}]}
      - {name: running_total, sql: amount, type: sum, rolling_window: {trailing: unbounded}}
      - {name: rolling_3d, type: count, rolling_window: {trailing: 3 day}}
      - {name: mtd_total, sql: amount, type: sum, rolling_window: {type: to_date, granularity: month}}
      - {name: next_2d, type: count, rolling_window: {leading: 2 day, offset: start}}
      - {name: total_day_before, multi_stage: true, sql: "{total}", type: number, time_shift: [{interval: 1 day, type: prior}]}
      - {name: count_all_statuses, multi_stage: true, sql: "{count}", type: sum, reduce_by: [status]}
    segments:
      - {name: big, sql: "{CUBE}.amount >= 50"}
  - name: users
    sql_table: qm_users
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: city, sql: city, type: string}
    measures:
      - {name: count, type: count}
  - name: items
    sql_table: qm_items
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
      - {name: product, sql: product, type: string}
    measures:
      - {name: count, type: count}
      - {name: quantity, sql: qty, type: sum}
`;

export const qmModel = () => compileYamlModel({ 'shop.yml': QM_MODEL });

// Users 5 on have no orders: cities spelled to trip quoting, LIKE escaping, `?` placeholders
// (Cube's Presto driver inlines values) and Unicode case folding; 'backslash' is what
// 'back\\slash' would become if a backslash were read as an escape.
export const USERS = [
  { id: 1, city: 'Paris' }, { id: 2, city: 'Berlin' }, { id: 3, city: 'paris' }, { id: 4, city: null },
  { id: 5, city: "O'Brien" }, { id: 6, city: 'back\\slash' }, { id: 7, city: 'backslash' }, { id: 8, city: '100%_off' },
  { id: 9, city: 'Zürich' }, { id: 10, city: '東京 🙂' }, { id: 11, city: 'what?' }, { id: 12, city: "x'; DROP TABLE qm_users; --" },
] as const;

// created_at is UTC. Chosen around midnight UTC and a New York DST change (2024-03-10 07:00Z).
export const ORDERS = [
  { id: 1, user_id: 1, status: 'done', amount: 10, created_at: '2024-03-08 12:00:00' },
  { id: 2, user_id: 1, status: 'done', amount: 20, created_at: '2024-03-09 03:30:00' },
  { id: 3, user_id: 2, status: 'new', amount: 55, created_at: '2024-03-10 06:30:00' },
  { id: 4, user_id: 3, status: 'cancel_ed', amount: 70, created_at: '2024-03-10 08:00:00' },
  { id: 5, user_id: 2, status: 'Done', amount: 5, created_at: '2024-03-11 23:59:59' },
  { id: 6, user_id: 4, status: null, amount: 100, created_at: '2024-04-02 10:00:00' },
  { id: 7, user_id: 3, status: 'new%', amount: 1, created_at: '2024-01-01 00:00:00' },
] as const;

export const ITEMS = [
  { id: 1, order_id: 1, product: 'pen', qty: 1 }, { id: 2, order_id: 1, product: 'ink', qty: 2 },
  { id: 3, order_id: 1, product: 'pad', qty: 3 }, { id: 4, order_id: 3, product: 'pen', qty: 4 },
  { id: 5, order_id: 4, product: 'ink', qty: 5 }, { id: 6, order_id: 4, product: 'pen', qty: 6 },
] as const;

type Tbl = { name: string; cols: [string, string, string][]; rows: readonly Record<string, unknown>[] };
// [name, duckdb type (also PrestoDB's and Trino's), mysql type]
export const TABLES: Tbl[] = [
  { name: 'qm_users', cols: [['id', 'INTEGER', 'INT'], ['city', 'VARCHAR', 'VARCHAR(50) COLLATE utf8mb4_bin']], rows: USERS },
  { name: 'qm_orders', cols: [['id', 'INTEGER', 'INT'], ['user_id', 'INTEGER', 'INT'], ['status', 'VARCHAR', 'VARCHAR(50) COLLATE utf8mb4_bin'], ['amount', 'DECIMAL(18,2)', 'DECIMAL(18,2)'], ['created_at', 'TIMESTAMP', 'DATETIME(3)']], rows: ORDERS },
  { name: 'qm_items', cols: [['id', 'INTEGER', 'INT'], ['order_id', 'INTEGER', 'INT'], ['product', 'VARCHAR', 'VARCHAR(50) COLLATE utf8mb4_bin'], ['qty', 'INTEGER', 'INT']], rows: ITEMS },
];

export type FixtureEngine = 'duckdb' | 'mysql' | 'presto' | 'trino';

/**
 * DDL + INSERTs for one engine (values are fixture literals, not user input). Times are typed
 * `TIMESTAMP '…'` literals: PrestoDB and Trino do not coerce a string into a TIMESTAMP column.
 */
export function fixtureStatements(engine: FixtureEngine, prefix = ''): string[] {
  // MySQL reads a backslash in a string literal as an escape; the others take it as is.
  const str = (v: unknown) => `'${(engine === 'mysql' ? String(v).replace(/\\/g, '\\\\') : String(v)).replace(/'/g, "''")}'`;
  const lit = (v: unknown, duckType: string) => (v === null ? 'NULL' : typeof v === 'number' ? String(v) : duckType === 'TIMESTAMP' ? `TIMESTAMP ${str(v)}` : str(v));
  return TABLES.flatMap((t) => [
    `DROP TABLE IF EXISTS ${prefix}${t.name}`,
    `CREATE TABLE ${prefix}${t.name} (${t.cols.map((c) => `${c[0]} ${engine === 'mysql' ? c[2] : c[1]}`).join(', ')})`,
    `INSERT INTO ${prefix}${t.name} VALUES ${t.rows.map((r) => `(${t.cols.map((c) => lit(r[c[0]], c[1])).join(', ')})`).join(', ')}`,
  ]);
}
