// AtomicEvents → a DuckDB data chunk with the atomic columns, written with DuckDB's C API vector
// calls: one memory copy per column for numbers, validity and short strings, one call per distinct
// long string. The generic value path of @duckdb/node-api costs ~45 µs per event here (a call per
// value); this is what lets enriched events reach Parquet with no text format in between (NDJSON
// cost ~20 µs an event to write and read back).
import duckdb from '@duckdb/node-bindings';
import {
  DuckDBBooleanType, DuckDBDecimalType, DuckDBDoubleType, DuckDBIntegerType, DuckDBSmallIntType,
  DuckDBTimestampType, DuckDBVarCharType, type DuckDBDataChunk, type DuckDBType,
} from '@duckdb/node-api';
import { atomicColumns, type AtomicEvent, type AtomicType } from '../atomic/columns.ts';
import type { RowBuilder } from '../validate/row-builder.ts';
import {
  toBoolean, toDecimal18x2, toDouble, toEpochMs, toInteger, toSmallint, toVarchar,
} from './atomic-values.ts';

/** DuckDB's vector size: the most rows a data chunk holds. */
export const CHUNK_ROWS = 2048;
const TWO_32 = 2 ** 32;
/** A string_t is 16 bytes: length, then up to 12 bytes inline or a 4-byte prefix and a pointer. */
const STRING_T = 16;
const INLINE_MAX = 12;

const duckType: Record<AtomicType, DuckDBType> = {
  VARCHAR: DuckDBVarCharType.instance,
  TIMESTAMP: DuckDBTimestampType.instance,
  INTEGER: DuckDBIntegerType.instance,
  SMALLINT: DuckDBSmallIntType.instance,
  DOUBLE: DuckDBDoubleType.instance,
  BOOLEAN: DuckDBBooleanType.instance,
  'DECIMAL(18,2)': new DuckDBDecimalType(18, 2),
};

const byteWidth: Record<AtomicType, number> = {
  VARCHAR: STRING_T, TIMESTAMP: 8, INTEGER: 4, SMALLINT: 2, DOUBLE: 8, BOOLEAN: 1, 'DECIMAL(18,2)': 8,
};

type Raw = AtomicEvent[string];

/** One column's buffers for the chunk being filled. */
class ColumnBuffer {
  readonly data: Uint8Array<ArrayBuffer>;
  readonly view: DataView;
  readonly validity = new Uint8Array(CHUNK_ROWS / 8);
  /** VARCHAR only: the rows whose strings do not fit inline. */
  readonly longRows: number[] = [];
  readonly longValues: string[] = [];

  readonly width: number;
  /** The data as 32-bit words, for widths of whole words. */
  private readonly words: Uint32Array | undefined;
  /** The value last given to setTracked() and its row, for repeats. */
  private lastValue: Raw = undefined;
  private lastRow = -1;

  constructor(readonly index: number, readonly type: AtomicType) {
    this.width = byteWidth[type];
    this.data = new Uint8Array(CHUNK_ROWS * this.width);
    this.view = new DataView(this.data.buffer);
    if (this.width % 4 === 0) this.words = new Uint32Array(this.data.buffer);
  }

  reset(): void {
    this.validity.fill(0);
    this.longRows.length = 0;
    this.longValues.length = 0;
    this.lastValue = undefined;
    this.lastRow = -1;
  }

  /** Forgets rows `rows` to `filled` - 1: they become NULL (their bytes are rewritten when the rows
   *  are filled again) and their long strings go. */
  truncate(rows: number, filled: number): void {
    for (let row = rows; row < filled; row++) this.validity[row >> 3]! &= ~(1 << (row & 7));
    while (this.longRows.length > 0 && this.longRows[this.longRows.length - 1]! >= rows) {
      this.longRows.pop();
      this.longValues.pop();
    }
    if (this.lastRow >= rows) {
      this.lastValue = undefined;
      this.lastRow = -1;
    }
  }

  /** set() for rows filled in order: the same value as the row before copies that row's bytes (the
   *  events of one request share most values, as the same string objects). */
  setTracked(row: number, raw: Raw): void {
    if (raw === this.lastValue && this.lastRow === row - 1) this.repeat(row);
    else { this.set(row, raw); this.lastValue = raw; }
    this.lastRow = row;
  }

  private repeat(row: number): void {
    const from = row - 1;
    if (this.isNull(from)) return;
    this.validity[row >> 3]! |= 1 << (row & 7);
    if (this.longRows.length > 0 && this.longRows[this.longRows.length - 1] === from) {
      this.longRows.push(row);
      this.longValues.push(this.longValues[this.longValues.length - 1]!);
      return;
    }
    // A loop, not copyWithin: for 1 to 16 bytes the builtin's call costs more than the copy.
    if (this.words !== undefined) {
      const n = this.width >> 2;
      for (let k = 0, to = row * n, at = from * n; k < n; k++) this.words[to + k] = this.words[at + k]!;
    } else {
      for (let k = 0, w = this.width, to = row * w, at = from * w; k < w; k++) this.data[to + k] = this.data[at + k]!;
    }
  }

  isNull(row: number): boolean {
    return (this.validity[row >> 3]! & (1 << (row & 7))) === 0;
  }

  set(row: number, raw: Raw): void {
    const ok = this.write(row, raw);
    if (ok) this.validity[row >> 3]! |= 1 << (row & 7);
  }

  private write(row: number, raw: Raw): boolean {
    switch (this.type) {
      case 'VARCHAR': {
        const s = toVarchar(raw);
        if (s === undefined) return false;
        if (!this.writeInline(row, s)) { this.longRows.push(row); this.longValues.push(s); }
        return true;
      }
      case 'TIMESTAMP': {
        const ms = toEpochMs(raw);
        return ms !== undefined && this.writeInt64(row, Math.round(ms * 1000));
      }
      case 'INTEGER': {
        const n = toInteger(raw);
        if (n === undefined) return false;
        this.view.setInt32(row * 4, n, true);
        return true;
      }
      case 'SMALLINT': {
        const n = toSmallint(raw);
        if (n === undefined) return false;
        this.view.setInt16(row * 2, n, true);
        return true;
      }
      case 'DOUBLE': {
        const n = toDouble(raw);
        if (n === undefined) return false;
        this.view.setFloat64(row * 8, n, true);
        return true;
      }
      case 'BOOLEAN': {
        const b = toBoolean(raw);
        if (b === undefined) return false;
        this.data[row] = b ? 1 : 0;
        return true;
      }
      case 'DECIMAL(18,2)': {
        const d = toDecimal18x2(raw);
        if (d === undefined) return false;
        this.view.setBigInt64(row * 8, d, true);
        return true;
      }
    }
  }

  /** Microseconds fit a double exactly for any date DuckDB's TIMESTAMP takes; written as two halves. */
  private writeInt64(row: number, value: number): boolean {
    if (!Number.isSafeInteger(value)) return false;
    const high = Math.floor(value / TWO_32);
    this.view.setUint32(row * 8, value - high * TWO_32, true);
    this.view.setInt32(row * 8 + 4, high, true);
    return true;
  }

  /** ASCII strings of up to 12 bytes live inside the string_t itself. */
  private writeInline(row: number, s: string): boolean {
    const length = s.length;
    if (length > INLINE_MAX) return false;
    const at = row * STRING_T;
    for (let i = 0; i < length; i++) {
      const code = s.charCodeAt(i);
      if (code > 0x7f) return false;
      this.data[at + 4 + i] = code;
    }
    this.data.fill(0, at + 4 + length, at + STRING_T);
    this.view.setUint32(at, length, true);
    return true;
  }

  /** Copies the buffers into the chunk's vector; long strings are added to the vector's own heap,
   *  and a value repeated in the chunk (user agent, URLs, enrichment outputs) points at its first copy. */
  flushInto(chunk: DuckDBDataChunk, rows: number): void {
    const vector = duckdb.data_chunk_get_vector(chunk.chunk, this.index);
    duckdb.copy_data_to_vector(vector, 0, this.data.buffer, 0, rows * byteWidth[this.type]);
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.validity.buffer, 0, Math.ceil(rows / 64) * 8);
    if (this.longRows.length === 0) return;
    const firstRow = new Map<string, number>();
    const repeats: number[] = [];
    // Events of one request share most values as the same string object: the previous row's
    // value answers most lookups without hashing.
    let lastValue: string | undefined;
    let lastRow = -1;
    for (let i = 0; i < this.longRows.length; i++) {
      const row = this.longRows[i]!;
      const s = this.longValues[i]!;
      const first = s === lastValue ? lastRow : firstRow.get(s);
      if (first === undefined) {
        firstRow.set(s, row);
        duckdb.vector_assign_string_element(vector, row, s);
        lastRow = row;
      } else {
        repeats.push(row, first);
        lastRow = first;
      }
      lastValue = s;
    }
    if (repeats.length === 0) return;
    const current = duckdb.vector_get_data(vector, rows * STRING_T);
    if (current.byteOffset % 4 === 0) {
      const words = new Uint32Array(current.buffer, current.byteOffset, rows * 4);
      for (let i = 0; i < repeats.length; i += 2) {
        const to = repeats[i]! * 4, from = repeats[i + 1]! * 4;
        words[to] = words[from]!; words[to + 1] = words[from + 1]!; words[to + 2] = words[from + 2]!; words[to + 3] = words[from + 3]!;
      }
    } else {
      for (let i = 0; i < repeats.length; i += 2) {
        const from = repeats[i + 1]! * STRING_T;
        current.copyWithin(repeats[i]! * STRING_T, from, from + STRING_T);
      }
    }
    duckdb.copy_data_to_vector(vector, 0, current.buffer as ArrayBuffer, current.byteOffset, rows * STRING_T);
  }
}

/** The atomic columns' DuckDB types, in canonical order. */
export const atomicDuckTypes: readonly DuckDBType[] = atomicColumns.map((c) => duckType[c.type]);

/** Buffers up to CHUNK_ROWS events, then writes them into a data chunk. Keys that are not atomic
 *  columns are ignored; a value the column's type can't take is NULL. */
export class AtomicChunkBuilder {
  private readonly columns = atomicColumns.map((c, i) => new ColumnBuffer(i, c.type));
  private readonly byName = new Map(atomicColumns.map((c, i) => [c.name, this.columns[i]!]));
  private readonly defaults: [ColumnBuffer, Raw][];
  private rows = 0;

  /** `defaults` fill the columns an event leaves NULL. */
  constructor(defaults: AtomicEvent = {}) {
    this.defaults = Object.entries(defaults).map(([name, value]) => {
      const column = this.byName.get(name);
      if (!column) throw new Error(`not an atomic column: ${name}`);
      return [column, value];
    });
  }

  get rowCount(): number {
    return this.rows;
  }

  /** Drops the rows added after the first `rows` (a record that failed halfway). */
  truncate(rows: number): void {
    if (rows >= this.rows) return;
    for (const c of this.columns) c.truncate(rows, this.rows);
    this.rows = rows;
  }

  add(event: AtomicEvent): void {
    const row = this.nextRow();
    for (const key in event) {
      const value = event[key];
      if (value === null || value === undefined) continue;
      this.byName.get(key)?.set(row, value);
    }
    this.endRow(row);
  }

  /** add() for an event still in the row builder: its columns by index, no names looked up. */
  addRow(event: RowBuilder): void {
    const row = this.nextRow();
    const { columns, values } = event;
    for (let i = 0, n = event.size; i < n; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      this.columns[columns[i]!]!.setTracked(row, value);
    }
    this.endRow(row);
  }

  private nextRow(): number {
    if (this.rows === CHUNK_ROWS) throw new Error(`a data chunk holds at most ${CHUNK_ROWS} rows`);
    return this.rows;
  }

  private endRow(row: number): void {
    for (const [column, value] of this.defaults) if (column.isNull(row)) column.set(row, value);
    this.rows = row + 1;
  }

  /** Writes the buffered rows into `chunk` (created with atomicDuckTypes) and empties the builder. */
  writeTo(chunk: DuckDBDataChunk): void {
    for (const c of this.columns) c.flushInto(chunk, this.rows);
    chunk.rowCount = this.rows;
    for (const c of this.columns) c.reset();
    this.rows = 0;
  }
}
