// The files a single-node engine starts from: config.properties, jvm options and the Hive
// catalog with a file metastore (no metastore service). Sized for a 2-core machine.
import type { EngineSpec } from './engine-spec.ts';
import type { S3Access } from './s3-access.ts';

export interface EngineLayout {
  readonly port: number;
  readonly dataDir: string;
  readonly pluginDir: string;
  readonly metastoreDir: string;
  readonly heap: string;
  /** The S3-compatible server the Hive catalog reaches, when the data lives there. */
  readonly s3?: S3Access;
  /** A Thrift Hive metastore (`webcube stack start metastore`) instead of the file metastore. */
  readonly metastoreUri?: string;
}

export type Properties = Readonly<Record<string, string>>;

export const formatProperties = (props: Properties) => `${Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n')}\n`;

export function serverProperties(spec: EngineSpec, layout: EngineLayout): Properties {
  return {
    coordinator: 'true',
    'node-scheduler.include-coordinator': 'true',
    'http-server.http.port': String(layout.port),
    'discovery.uri': `http://127.0.0.1:${layout.port}`,
    'node.internal-address': '127.0.0.1',
    'query.max-memory': '1GB',
    'query.max-memory-per-node': '1GB',
    'plugin.dir': layout.pluginDir,
    ...spec.extraConfig,
  };
}

export function nodeProperties(spec: EngineSpec, layout: EngineLayout): Properties {
  return { 'node.environment': 'webcube', 'node.id': `webcube-${spec.name}`, 'node.data-dir': layout.dataDir };
}

/** Where the Hive catalog keeps its tables: a local folder, or a Thrift Hive metastore service. */
export type Metastore = { readonly kind: 'file'; readonly dir: string } | { readonly kind: 'thrift'; readonly uri: string };

/**
 * The one source of every Hive catalog webcube runs: `webcube stack` (local files, optionally
 * S3) and docker-compose (S3 only: `webcube stack config --for compose`).
 */
export function hiveCatalogProperties(spec: EngineSpec, o: { metastore: Metastore; localFiles: boolean; s3?: S3Access }): Properties {
  return {
    'connector.name': spec.hiveConnector,
    ...(o.metastore.kind === 'file'
      ? { 'hive.metastore': 'file', 'hive.metastore.catalog.dir': spec.localUri(o.metastore.dir) }
      : { 'hive.metastore.uri': o.metastore.uri }),
    // External tables over the collector's folders, and CTAS for original_sql pre-aggregations.
    'hive.non-managed-table-writes-enabled': 'true',
    'hive.storage-format': 'PARQUET',
    ...spec.catalog,
    ...(o.localFiles ? spec.localCatalog : {}),
    ...(o.s3 ? spec.s3Catalog(o.s3) : {}),
  };
}

export function hiveCatalog(spec: EngineSpec, layout: EngineLayout): Properties {
  const metastore: Metastore = layout.metastoreUri ? { kind: 'thrift', uri: layout.metastoreUri } : { kind: 'file', dir: layout.metastoreDir };
  return hiveCatalogProperties(spec, { metastore, localFiles: true, s3: layout.s3 });
}

/** Scratch tables held in memory (test fixtures, small lookups); lost when the engine stops. */
export const memoryCatalog: Properties = { 'connector.name': 'memory', 'memory.max-data-per-node': '256MB' };

export function jvmOptions(spec: EngineSpec, layout: EngineLayout): string[] {
  return [
    '-server', `-Xmx${layout.heap}`, '-XX:+UseG1GC', '-XX:+ExitOnOutOfMemoryError', '-XX:+HeapDumpOnOutOfMemoryError',
    `-XX:HeapDumpPath=${layout.dataDir}`, '-Djdk.attach.allowAttachSelf=true', '-Dfile.encoding=UTF-8',
    ...spec.jvmOptions,
  ];
}
