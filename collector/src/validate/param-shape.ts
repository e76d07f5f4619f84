// A tracker event's parameters read once into two arrays: their names, interned as a shape, and
// their values. Trackers send the same names in the same order event after event, so what depends
// on the names alone (the column each one fills, the fingerprint's sort order) is worked out once
// per shape, and the per-event work indexes arrays instead of looking names up.
export interface ParamShape {
  readonly keys: readonly string[];
  /** The names' total length (for the event size). */
  readonly keyChars: number;
}

export interface Params {
  readonly shape: ParamShape;
  /** In the order of shape.keys. */
  readonly values: readonly unknown[];
}

/** The last few shapes, newest first: the events of a request mostly have one or two. */
const recent: ParamShape[] = [];
const RECENT = 4;
/** Every shape seen, by its names joined; emptied when full (it only saves work). */
const known = new Map<string, ParamShape>();
const MAX_KNOWN = 4096;

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function shapeOf(keys: string[]): ParamShape {
  for (let i = 0; i < recent.length; i++) {
    const shape = recent[i];
    if (sameKeys(shape.keys, keys)) {
      if (i > 0) {
        recent.splice(i, 1);
        recent.unshift(shape);
      }
      return shape;
    }
  }
  const id = keys.join('\n');
  let shape = known.get(id);
  // A name may hold '\n' itself, so the joined id is confirmed.
  if (shape === undefined || !sameKeys(shape.keys, keys)) {
    let keyChars = 0;
    for (const k of keys) keyChars += k.length;
    shape = { keys, keyChars };
    if (known.size >= MAX_KNOWN) known.clear();
    known.set(id, shape);
  }
  recent.unshift(shape);
  if (recent.length > RECENT) recent.pop();
  return shape;
}

export function readParams(params: object): Params {
  return { shape: shapeOf(Object.keys(params)), values: Object.values(params) };
}
