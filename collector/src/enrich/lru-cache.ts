// A small LRU cache on Map's insertion order: user agents and referer hosts repeat heavily,
// so parsing each distinct value once is most of the enrichment cost saved.
export class LruCache<K, V> {
  private readonly map = new Map<K, V>();
  /** The most recently used entry is already last in order: the events of one request hit it in
   *  a row, and answering them here skips the hash, delete and re-insert. */
  private lastKey: K | undefined;
  private lastValue: V | undefined;
  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    if (this.lastValue !== undefined && key === this.lastKey) return this.lastValue;
    const v = this.map.get(key);
    if (v !== undefined) {
      this.map.delete(key);
      this.map.set(key, v);
      this.lastKey = key;
      this.lastValue = v;
    }
    return v;
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.map.delete(key);
    this.map.set(key, value);
    this.lastKey = key;
    this.lastValue = value;
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  get size(): number {
    return this.map.size;
  }
}
