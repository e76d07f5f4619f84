// The few Thrift Hive metastore calls compaction needs (get_table, get_partition, alter_partition,
// add_partition), one connection per call over the unframed binary protocol the standalone
// metastore serves by default. Structs stay generic (thrift-binary.ts): a partition read here is
// written back with every field it had, only its location changed.
import { connect } from 'node:net';
import { MESSAGE, Reader, ShortRead, T, Writer, asString, field, str, strList, struct, type TField, type TStruct } from './thrift-binary.ts';

const CALL_TIMEOUT_MS = 60_000;

/** A declared metastore exception (NoSuchObjectException, AlreadyExistsException, MetaException…). */
export class MetastoreError extends Error {
  constructor(readonly method: string, readonly field: number, message: string) { super(`${method}: ${message}`); }
}

export interface MetastoreAddress { readonly host: string; readonly port: number }

let seq = 0;

export async function call(at: MetastoreAddress, method: string, args: TStruct): Promise<TStruct | undefined> {
  const id = ++seq;
  const request = new Writer().message(method, MESSAGE.CALL, id, args);
  const reply = await new Promise<ReturnType<Reader['message']>>((resolve, reject) => {
    const socket = connect(at.port, at.host);
    let got = Buffer.alloc(0);
    const fail = (e: Error) => { socket.destroy(); reject(e); };
    socket.setTimeout(CALL_TIMEOUT_MS, () => fail(new Error(`metastore ${at.host}:${at.port}: ${method} got no answer in ${CALL_TIMEOUT_MS / 1000} s`)));
    socket.once('error', (e) => fail(new Error(`metastore ${at.host}:${at.port}: ${e.message}`)));
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      got = Buffer.concat([got, chunk]);
      try {
        const m = new Reader(got).message();
        socket.end();
        resolve(m);
      } catch (e) {
        if (!(e instanceof ShortRead)) fail(e as Error);
      }
    });
    socket.once('end', () => fail(new Error(`metastore ${at.host}:${at.port} closed the connection during ${method}`)));
  });
  if (reply.type === MESSAGE.EXCEPTION) {
    throw new Error(`metastore ${method}: ${reply.body.get(1) ? asString(reply.body, 1, 'message') : 'application exception'}`);
  }
  if (reply.seq !== id || reply.name !== method) throw new Error(`metastore: answer to ${reply.name}#${reply.seq}, expected ${method}#${id}`);
  for (const [fid, f] of reply.body) {
    if (fid === 0) continue;
    // Every exception of hive_metastore.thrift has its message as field 1.
    const e = f.value as TStruct;
    throw new MetastoreError(method, fid, e.get(1) ? asString(e, 1, 'message') : `exception #${fid}`);
  }
  return reply.body.get(0)?.value as TStruct | undefined;
}

const TABLE_SD = 7, TABLE_PARTITION_KEYS = 8;
const PART_VALUES = 1, PART_DB = 2, PART_TABLE = 3, PART_CREATE = 4, PART_ACCESS = 5, PART_SD = 6, PART_PARAMS = 7;
const SD_LOCATION = 2;

export const sdOf = (s: TStruct, id: number): TStruct => field(s, id, T.STRUCT, 'storage descriptor') as TStruct;
export const locationOf = (sd: TStruct): string => asString(sd, SD_LOCATION, 'location');
export const setLocation = (sd: TStruct, location: string): void => { sd.set(SD_LOCATION, str(location)); };

export async function getTable(at: MetastoreAddress, db: string, table: string): Promise<TStruct> {
  const t = await call(at, 'get_table', struct({ 1: str(db), 2: str(table) }));
  if (!t) throw new Error(`metastore get_table ${db}.${table}: empty answer`);
  return t;
}

/** The partition of value `value` (single-key tables), or undefined when the metastore has none. */
export async function getPartition(at: MetastoreAddress, db: string, table: string, value: string): Promise<TStruct | undefined> {
  try {
    return await call(at, 'get_partition', struct({ 1: str(db), 2: str(table), 3: strList([value]) }));
  } catch (e) {
    if (e instanceof MetastoreError && e.field === 2) return undefined; // NoSuchObjectException
    throw e;
  }
}

/** One metastore transaction: every reader sees the old location or the new one. */
export async function alterPartition(at: MetastoreAddress, db: string, table: string, partition: TStruct): Promise<void> {
  await call(at, 'alter_partition', struct({ 1: str(db), 2: str(table), 3: { type: T.STRUCT, value: partition } }));
}

/** Adds the partition `key=value` at `location`, with the table's storage (format, columns, serde).
 *  Returns false when it existed already (added meanwhile by someone else). */
export async function addPartitionLike(at: MetastoreAddress, db: string, table: string, value: string, location: string): Promise<boolean> {
  const t = await getTable(at, db, table);
  const sd = sdOf(t, TABLE_SD);
  setLocation(sd, location);
  const partition = struct({
    [PART_VALUES]: strList([value]), [PART_DB]: str(db), [PART_TABLE]: str(table),
    [PART_CREATE]: { type: T.I32, value: Math.floor(Date.now() / 1000) }, [PART_ACCESS]: { type: T.I32, value: 0 },
    [PART_SD]: { type: T.STRUCT, value: sd }, [PART_PARAMS]: { type: T.MAP, value: { keyType: T.STRING, valueType: T.STRING, entries: [] } },
  } satisfies Record<number, TField>);
  try {
    await call(at, 'add_partition', struct({ 1: { type: T.STRUCT, value: partition } }));
    return true;
  } catch (e) {
    if (e instanceof MetastoreError && e.field === 2) return false; // AlreadyExistsException
    throw e;
  }
}

/** The table's location and partition key names. */
export async function tableLayout(at: MetastoreAddress, db: string, table: string): Promise<{ location: string; keys: string[] }> {
  const t = await getTable(at, db, table);
  const keys = ((t.get(TABLE_PARTITION_KEYS)?.value as { items: TStruct[] } | undefined)?.items ?? []).map((k) => asString(k, 1, 'partition key name'));
  return { location: locationOf(sdOf(t, TABLE_SD)), keys };
}

export const PARTITION_SD = PART_SD;
