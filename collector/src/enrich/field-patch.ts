// A group of columns an enricher fills, with one answer's values, made once per distinct answer
// and then copied into each event's row. Every column of the group is set, undefined where the
// answer has null: undefined is absent to every reader (JSON drops it, the appender skips it), and
// rows that differ only in which fields an enricher found then share one layout (row-builder.ts).
import { columnIndex, type RowBuilder, type Value } from '../validate/row-builder.ts';

/** Columns in the order the enricher fills them. */
export interface ColumnGroup {
  readonly columns: readonly number[];
  /** Each column's place in the group, by name. */
  readonly placeOf: ReadonlyMap<string, number>;
}

export interface FieldPatch {
  readonly columns: readonly number[];
  readonly values: readonly Value[];
}

export function columnGroup(...names: string[]): ColumnGroup {
  return Object.freeze({ columns: names.map(columnIndex), placeOf: new Map(names.map((n, i) => [n, i])) });
}

/** The group's values from `fields` (objects with disjoint columns); keys outside the group are ignored. */
export function toPatch(group: ColumnGroup, ...fields: readonly object[]): FieldPatch {
  const values: Value[] = group.columns.map(() => undefined);
  for (const f of fields) {
    for (const k in f) {
      const v = (f as Record<string, Value>)[k];
      const at = group.placeOf.get(k);
      if (at !== undefined && v !== null) values[at] = v;
    }
  }
  return Object.freeze({ columns: group.columns, values });
}

export function applyPatch(row: RowBuilder, patch: FieldPatch): void {
  const { columns, values } = patch;
  for (let i = 0; i < columns.length; i++) row.set(columns[i], values[i]);
}

/** toPatch per answer object, remembered: enrichers answer from caches, so an answer repeats. */
export function memoPatch(group: ColumnGroup): (fields: object | undefined) => FieldPatch {
  const memo = new WeakMap<object, FieldPatch>();
  const none = toPatch(group);
  return (fields) => {
    if (fields === undefined) return none;
    let patch = memo.get(fields);
    if (patch === undefined) {
      patch = toPatch(group, fields);
      memo.set(fields, patch);
    }
    return patch;
  };
}
