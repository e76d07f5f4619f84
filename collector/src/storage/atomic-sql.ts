// SQL fragments that turn spooled NDJSON (one event object per line, bad rows as {"bad":{…}})
// into typed atomic columns. Everything is read as text first, then TRY_CAST, so one odd value
// becomes NULL instead of making DuckDB's reader drop the whole line (and with it the event).
import { atomicColumns, type AtomicType } from '../atomic/columns.ts';

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;
export const quoteLiteral = (value: string): string => `'${value.replaceAll("'", "''")}'`;

function typed(name: string, type: AtomicType): string {
  const c = quoteIdent(name);
  switch (type) {
    case 'VARCHAR': return c;
    // AtomicEvent carries epoch ms; an ISO string is accepted too so hand-written files load.
    case 'TIMESTAMP': return `coalesce(epoch_ms(TRY_CAST(${c} AS BIGINT)), TRY_CAST(${c} AS TIMESTAMP))`;
    default: return `TRY_CAST(${c} AS ${type})`;
  }
}

const badSpec = `'bad': 'STRUCT(raw VARCHAR, reason VARCHAR, "time" BIGINT, source VARCHAR)'`;
const columnsSpec = `{${[
  ...atomicColumns.map((c) => `${quoteLiteral(c.name)}: 'VARCHAR'`),
  badSpec,
].join(', ')}}`;

const partialSpecs = {
  all: '',
  keys: `{'event_id': 'VARCHAR', 'event_fingerprint': 'VARCHAR'}`,
  bad: `{${badSpec}}`,
} as const;

/** A read_json call over spool/NDJSON files; torn or malformed lines are skipped (never acked).
 *  `keys` extracts just event_id and event_fingerprint (the dedupe pass), `bad` just the bad rows. */
export function readSpoolSql(paths: readonly string[], part: keyof typeof partialSpecs = 'all'): string {
  const list = `[${paths.map(quoteLiteral).join(', ')}]`;
  const spec = part === 'all' ? columnsSpec : partialSpecs[part];
  return `read_json(${list}, columns=${spec}, format='newline_delimited', ignore_errors=true, maximum_object_size=67108864)`;
}

/** The dedupe key: Snowplow dedupes on event_id + event_fingerprint. */
export const dedupeKeySql = `md5_number(event_id || chr(0) || coalesce(event_fingerprint, ''))`;

/** SELECT list producing the atomic columns with their contract types, in canonical order.
 *  collector_tstamp and load_tstamp fall back to `nowMs` (Snowplow's loader stamps load_tstamp). */
export function typedSelectList(nowMs: number): string {
  const now = `epoch_ms(${Math.trunc(nowMs)}::BIGINT)`;
  return atomicColumns.map((c) => {
    const expr = typed(c.name, c.type);
    const value = c.name === 'collector_tstamp' || c.name === 'load_tstamp' ? `coalesce(${expr}, ${now})` : expr;
    return `${value} AS ${quoteIdent(c.name)}`;
  }).join(', ');
}

/** Plain column list in canonical order (for SELECTs from an already typed table). */
export const columnList: string = atomicColumns.map((c) => quoteIdent(c.name)).join(', ');

/** CREATE TABLE body with the contract's types. */
export const columnDefs: string = atomicColumns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ');
