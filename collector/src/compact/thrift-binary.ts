// Thrift's binary protocol (strict messages), generic: a struct is read into its fields by id and
// written back unchanged, so a Hive Partition or Table read from the metastore is sent back with
// only the fields we change, whatever fields this metastore version adds. No IDL, no generated code.

export const T = { STOP: 0, BOOL: 2, BYTE: 3, DOUBLE: 4, I16: 6, I32: 8, I64: 10, STRING: 11, STRUCT: 12, MAP: 13, SET: 14, LIST: 15 } as const;

export type TValue = boolean | number | bigint | Buffer | TStruct | TList | TMap;
export interface TField { readonly type: number; value: TValue }
export type TStruct = Map<number, TField>;
export interface TList { readonly elemType: number; readonly items: TValue[] }
export interface TMap { readonly keyType: number; readonly valueType: number; readonly entries: [TValue, TValue][] }

export const MESSAGE = { CALL: 1, REPLY: 2, EXCEPTION: 3 } as const;

/** Thrown while a message is incomplete: the caller waits for more bytes. */
export class ShortRead extends Error {}

export class Writer {
  private chunks: Buffer[] = [];
  private fixed(size: number, put: (b: Buffer) => void): void { const b = Buffer.alloc(size); put(b); this.chunks.push(b); }
  i8(v: number) { this.fixed(1, (b) => b.writeInt8(v)); }
  i16(v: number) { this.fixed(2, (b) => b.writeInt16BE(v)); }
  i32(v: number) { this.fixed(4, (b) => b.writeInt32BE(v)); }
  bytes(v: Buffer) { this.i32(v.length); this.chunks.push(v); }
  value(type: number, v: TValue): void {
    switch (type) {
      case T.BOOL: return this.i8(v ? 1 : 0);
      case T.BYTE: return this.i8(v as number);
      case T.DOUBLE: return this.fixed(8, (b) => b.writeDoubleBE(v as number));
      case T.I16: return this.i16(v as number);
      case T.I32: return this.i32(v as number);
      case T.I64: return this.fixed(8, (b) => b.writeBigInt64BE(BigInt(v as bigint)));
      case T.STRING: return this.bytes(v as Buffer);
      case T.STRUCT: return this.struct(v as TStruct);
      case T.MAP: {
        const m = v as TMap;
        this.i8(m.keyType); this.i8(m.valueType); this.i32(m.entries.length);
        for (const [k, x] of m.entries) { this.value(m.keyType, k); this.value(m.valueType, x); }
        return;
      }
      case T.SET: case T.LIST: {
        const l = v as TList;
        this.i8(l.elemType); this.i32(l.items.length);
        for (const x of l.items) this.value(l.elemType, x);
        return;
      }
      default: throw new Error(`thrift: cannot write type ${type}`);
    }
  }
  struct(s: TStruct): void {
    for (const [id, f] of [...s].sort(([a], [b]) => a - b)) { this.i8(f.type); this.i16(id); this.value(f.type, f.value); }
    this.i8(T.STOP);
  }
  message(name: string, type: number, seq: number, args: TStruct): Buffer {
    this.i32((0x80010000 | type) | 0); this.bytes(Buffer.from(name, 'utf8')); this.i32(seq); this.struct(args);
    return Buffer.concat(this.chunks);
  }
}

export class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  private need(n: number): number {
    if (this.at + n > this.buf.length) throw new ShortRead();
    const at = this.at; this.at += n; return at;
  }
  i8() { return this.buf.readInt8(this.need(1)); }
  i16() { return this.buf.readInt16BE(this.need(2)); }
  i32() { return this.buf.readInt32BE(this.need(4)); }
  bytes(): Buffer {
    const n = this.i32();
    if (n < 0) throw new Error(`thrift: negative length ${n}`);
    const at = this.need(n); return this.buf.subarray(at, at + n);
  }
  private size(): number {
    const n = this.i32();
    if (n < 0) throw new Error(`thrift: negative size ${n}`);
    return n;
  }
  value(type: number): TValue {
    switch (type) {
      case T.BOOL: return this.i8() !== 0;
      case T.BYTE: return this.i8();
      case T.DOUBLE: return this.buf.readDoubleBE(this.need(8));
      case T.I16: return this.i16();
      case T.I32: return this.i32();
      case T.I64: return this.buf.readBigInt64BE(this.need(8));
      case T.STRING: return this.bytes();
      case T.STRUCT: return this.struct();
      case T.MAP: {
        const keyType = this.i8(); const valueType = this.i8(); const n = this.size();
        const entries: [TValue, TValue][] = [];
        for (let i = 0; i < n; i++) entries.push([this.value(keyType), this.value(valueType)]);
        return { keyType, valueType, entries };
      }
      case T.SET: case T.LIST: {
        const elemType = this.i8(); const n = this.size();
        const items: TValue[] = [];
        for (let i = 0; i < n; i++) items.push(this.value(elemType));
        return { elemType, items };
      }
      default: throw new Error(`thrift: unknown type ${type}`);
    }
  }
  struct(): TStruct {
    const s: TStruct = new Map();
    for (;;) {
      const type = this.i8();
      if (type === T.STOP) return s;
      const id = this.i16();
      s.set(id, { type, value: this.value(type) });
    }
  }
  message(): { name: string; type: number; seq: number; body: TStruct } {
    const version = this.i32();
    if ((version & 0xffff0000) !== (0x80010000 | 0)) throw new Error('thrift: not a strict binary-protocol message (is this a Thrift metastore port?)');
    const name = this.bytes().toString('utf8');
    const seq = this.i32();
    return { name, type: version & 0xff, seq, body: this.struct() };
  }
}

// Building and reading values.
export const str = (s: string): TField => ({ type: T.STRING, value: Buffer.from(s, 'utf8') });
export const i32 = (n: number): TField => ({ type: T.I32, value: n });
export const strList = (xs: readonly string[]): TField => ({ type: T.LIST, value: { elemType: T.STRING, items: xs.map((x) => Buffer.from(x, 'utf8')) } });
export const struct = (fields: Record<number, TField>): TStruct => new Map(Object.entries(fields).map(([id, f]) => [Number(id), f]));

export function field(s: TStruct, id: number, type: number, what: string): TValue {
  const f = s.get(id);
  if (!f || f.type !== type) throw new Error(`thrift: ${what} (field ${id}) missing or not of type ${type}`);
  return f.value;
}
export const asString = (s: TStruct, id: number, what: string): string => (field(s, id, T.STRING, what) as Buffer).toString('utf8');
