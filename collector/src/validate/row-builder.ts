// An atomic row put together column by column, then made into one object. Set key by key on an
// object, every order of columns is a chain of V8 hidden classes of its own, and with many of them
// each store misses V8's property caches (that was most of the enrichment's cost on varied
// traffic). Here the values go into two arrays, and the row is made by an object literal compiled
// once per column order. The row is the one plain stores would make: keys in the order each column
// was first set, a later set of a column replacing its value in place.
import { atomicColumnNames } from '../atomic/columns.ts';
import { newAtomicRow } from './atomic-row.ts';
import { fieldLimits } from './field-limits.ts';

export type Value = string | number | boolean | null | undefined;
type Row = Record<string, Value>;

const NAMES = atomicColumnNames;
const INDEX: ReadonlyMap<string, number> = new Map(NAMES.map((n, i) => [n, i]));
/** maxLength per column index; no limit is the largest Int32. */
const LIMIT = Int32Array.from(NAMES, (n) => fieldLimits[n] ?? 0x7fffffff);

export function columnIndex(name: string): number {
  const i = INDEX.get(name);
  if (i === undefined) throw new Error(`${name} is not an atomic column`);
  return i;
}

/** The indexes of the named columns, by name (checked once, at load). */
export function columnIndexes<const N extends readonly string[]>(...names: N): { readonly [K in N[number]]: number } {
  return Object.freeze(Object.fromEntries(names.map((n) => [n, columnIndex(n)]))) as { readonly [K in N[number]]: number };
}

interface Shape {
  readonly columns: Uint8Array;
  uses: number;
  make?: (values: readonly Value[]) => Row;
}

/** Column orders seen so far, by hash. A literal is compiled for an order once it is common (a
 *  rare one would not repay the compile and V8's warm-up); the others take plain stores. */
const shapes = new Map<number, Shape>();
const MAX_SHAPES = 1024;
const COMPILE_AFTER = 16;

function compile(columns: Uint8Array): (values: readonly Value[]) => Row {
  // The source holds column names from the fixed list only (no input), as atomic-row.ts does.
  const fields = Array.from(columns, (c, i) => `${JSON.stringify(NAMES[c])}: v[${i}]`);
  return new Function('v', `return { ${fields.join(', ')} };`) as (values: readonly Value[]) => Row;
}

/** Full of orders: the rare ones go, the compiled ones stay. */
function sweep(): void {
  for (const [hash, shape] of shapes) if (shape.make === undefined) shapes.delete(hash);
}

export class RowBuilder {
  /** A column is in the row when its stamp is the row's generation; `position` then says where. */
  private readonly stamp = new Int32Array(NAMES.length);
  private readonly position = new Uint8Array(NAMES.length);
  private generation = 1;
  /** The row's column indexes and values, in the order first set; the first `size` are the row's. */
  readonly columns = new Uint8Array(NAMES.length);
  readonly values: Value[] = Array.from(NAMES, () => undefined);
  private count = 0;
  /** Of the column order, for the shape lookup. */
  private hash = 0;
  private overLimit = false;

  /** Forgets the previous row. */
  start(): void {
    if (++this.generation > 0x7fffffff) {
      this.stamp.fill(0);
      this.generation = 1;
    }
    this.count = 0;
    this.hash = 0;
    this.overLimit = false;
  }

  /** How many columns the row has. */
  get size(): number {
    return this.count;
  }

  set(column: number, value: Value): void {
    if (typeof value === 'string' && value.length > LIMIT[column]) this.overLimit = true;
    if (this.stamp[column] === this.generation) {
      this.values[this.position[column]] = value;
      return;
    }
    this.stamp[column] = this.generation;
    this.position[column] = this.count;
    this.columns[this.count] = column;
    this.values[this.count++] = value;
    this.hash = Math.imul(this.hash ^ (column + 1), 0x01000193);
  }

  get(column: number): Value {
    return this.stamp[column] === this.generation ? this.values[this.position[column]] : undefined;
  }

  /** Whether a string longer than its column's maxLength was set (then field-limits.ts cuts the row). */
  anyOverLimit(): boolean {
    return this.overLimit;
  }

  build(): Row {
    const shape = this.shape();
    if (shape !== undefined && ++shape.uses >= COMPILE_AFTER) {
      const make = shape.make ??= compile(shape.columns);
      return make(this.values);
    }
    const row = newAtomicRow();
    this.assignTo(row);
    return row;
  }

  /** This row's entry in `shapes`, added if new and there is room; undefined on a hash collision. */
  private shape(): Shape | undefined {
    let shape = shapes.get(this.hash);
    if (shape === undefined) {
      if (shapes.size >= MAX_SHAPES) sweep();
      if (shapes.size >= MAX_SHAPES) return undefined;
      shape = { columns: this.columns.slice(0, this.count), uses: 0 };
      shapes.set(this.hash, shape);
      return shape;
    }
    return this.hasColumns(shape.columns) ? shape : undefined;
  }

  /** Sets the columns on an existing object, in order. */
  private assignTo(row: Row): void {
    for (let i = 0; i < this.count; i++) row[NAMES[this.columns[i]]] = this.values[i];
  }

  private hasColumns(columns: Uint8Array): boolean {
    if (columns.length !== this.count) return false;
    for (let i = 0; i < this.count; i++) if (columns[i] !== this.columns[i]) return false;
    return true;
  }
}
