// Where a partition's loading stands, kept beside the data in the sink (so every loader of the
// group sees it): `next` is the first offset not yet in Parquet; `pending` is the batch being
// written; `ids` is the partition's dedupe history (partition-dedupe.ts), so it moves with the
// partition from loader to loader. `pending` is published before the batch's files, so a loader
// that dies mid-batch leaves word of exactly which records it was writing and which ids it had
// seen: whoever takes the partition over writes that same range again under the same seed, which
// gives the same file names (overwriting, never duplicating).
//
// Fencing: every version has a sequence number and is published with a create-only write of
// `<partition>/seq/<n>` (link() on local disk, If-None-Match on S3), so of two loaders that both
// read version n-1 — the partition's owner and a zombie that lost it in a rebalance but is still
// finishing a batch — exactly one publishes version n; the other sees `false` and drops its batch.
// `<partition>.json` is a hint (the last version its writer knew), read first and then followed
// forward through the create-only versions.
import type { Sink } from '../sinks/sink.ts';

/** An immutable Parquet file of dedupe keys (hi, lo, t) under the partition's ids/ folder. */
export interface IdsFile { readonly key: string; readonly n: number; readonly maxT: number }
export interface IdsState {
  /** Keys with t below this are outside the window (COLLECTOR_DEDUPE_WINDOW_S) or beyond COLLECTOR_DEDUPE_MAX_IDS. */
  readonly floor: number;
  readonly files: readonly IdsFile[];
}

export interface Checkpoint {
  readonly next: string;
  readonly pending?: { readonly from: string; readonly to: string };
  readonly seq?: number;
  /** Who published this version: the consumer-group member and generation (for the logs). */
  readonly owner?: { readonly member: string; readonly generation: number };
  readonly ids?: IdsState;
}

/** Versions this far behind the newest are deleted (two are published per batch). */
const KEEP_VERSIONS = 1000;

export const checkpointKey = (group: string, topic: string, partition: number) => `loader/${group}/${topic}/${partition}.json`;
const versionKey = (key: string, seq: number) => `${key.replace(/\.json$/, '')}/seq/${String(seq).padStart(12, '0')}.json`;
export const idsPrefix = (key: string) => `${key.replace(/\.json$/, '')}/ids/`;

function parse(key: string, bytes: Uint8Array): Checkpoint {
  const c = JSON.parse(Buffer.from(bytes).toString('utf8')) as Checkpoint;
  if (typeof c.next !== 'string') throw new Error(`loader checkpoint ${key} is malformed`);
  return c;
}

/** The newest published version, or undefined for a partition never loaded. */
export async function readCheckpoint(sink: Sink, key: string): Promise<Checkpoint | undefined> {
  const hint = await sink.getBytes(key);
  let cp = hint ? parse(key, hint) : undefined;
  for (;;) {
    const seq = (cp?.seq ?? 0) + 1;
    const newer = await sink.getBytes(versionKey(key, seq));
    if (!newer) return cp;
    cp = { ...parse(key, newer), seq };
  }
}

/** Publishes `c` as the version after `prev` unless someone else published that version first
 *  (then false: the caller lost the partition and must not write on). */
export async function publishCheckpoint(sink: Sink, key: string, prev: Checkpoint | undefined, c: Omit<Checkpoint, 'seq'>): Promise<boolean> {
  const seq = (prev?.seq ?? 0) + 1;
  // Old versions are deleted, so their create-only keys can be created again: a writer that
  // stalled that long is refused here, by the versions published since it read.
  const current = await readCheckpoint(sink, key);
  if ((current?.seq ?? 0) !== seq - 1) return false;
  const next: Checkpoint = { ...c, seq };
  const body = JSON.stringify(next);
  if (!await sink.putIfAbsent(versionKey(key, seq), body)) return false;
  await sink.putBytes(key, body);
  if (seq > KEEP_VERSIONS) await sink.delete([versionKey(key, seq - KEEP_VERSIONS)]);
  return true;
}
