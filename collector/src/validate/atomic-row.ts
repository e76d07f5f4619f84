// A fresh, empty atomic row in V8's fast-properties mode. Rows get their ~70 columns by keyed
// stores (row[column] = v), which turn a plain `{}` into a slow dictionary object after a dozen
// keys; every later store and the spool's JSON.stringify then pay for hash lookups. A constructor
// that *could* assign every column makes V8 reserve in-object slots for all of them, so rows stay
// fast. The assignments never run: the row holds only present keys (absent = NULL), and its
// prototype is Object.prototype, so it is indistinguishable from a literal.
import { atomicColumnNames } from '../atomic/columns.ts';

type Row = Record<string, string | number | boolean | null | undefined>;

// Built from the fixed column list (identifiers only, no input), once at load.
const Slots = new Function(`if (this === undefined) { ${atomicColumnNames.map((n) => `this.${n} = 0;`).join(' ')} }`) as unknown as new () => Row;
Slots.prototype = Object.prototype;

export function newAtomicRow(): Row {
  return new Slots();
}
