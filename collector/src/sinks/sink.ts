// The one small interface every storage backend implements (local dir, S3/MinIO).
// Keys are '/'-separated paths under the data root, e.g. events/dt=2026-01-02/part-….parquet.

export interface Sink {
  readonly kind: 'local' | 's3';
  /** A local directory for files being prepared; on the same filesystem as the root for local sinks. */
  readonly stagingDir: string;
  /** Makes a finished local file visible at `key` in one step (rename or single upload); consumes the file. */
  putFile(localPath: string, key: string): Promise<void>;
  /** Writes a small object atomically. */
  putBytes(key: string, data: Uint8Array | string): Promise<void>;
  /** Creates a small object only if the key does not exist yet (a lock); false if it existed. */
  putIfAbsent(key: string, data: string): Promise<boolean>;
  /** The object's bytes, or undefined if it does not exist. */
  getBytes(key: string): Promise<Uint8Array | undefined>;
  /** Copies an object to a local file (DuckDB reads local files). */
  download(key: string, localPath: string): Promise<void>;
  /** Keys under a prefix (recursively), sorted; temp/hidden names are not listed. */
  list(prefix: string): Promise<string[]>;
  /** Same as list, with each object's size in bytes. */
  listSizes(prefix: string): Promise<{ key: string; size: number }[]>;
  /** Deletes keys; missing keys are not an error. */
  delete(keys: readonly string[]): Promise<void>;
  /** The local path of a key when the sink is a local filesystem (lets DuckDB read in place). */
  localPath(key: string): string | undefined;
  close(): Promise<void>;
}
