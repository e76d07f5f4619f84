// What differs between the two engines `webcube stack` runs: where each comes from, which Java
// it needs, which plugins it keeps, and how its Hive catalog and local files are spelled.
import type { JavaRange } from './java-runtime.ts';
import type { MavenArtifact } from './maven-artifact.ts';
import type { S3Access } from './s3-access.ts';

export type EngineName = 'presto' | 'trino';

export interface JarOverride {
  /** Jars of the distribution (lib/ and kept plugins) to leave out… */
  readonly replaces: RegExp;
  /** …and the Maven Central artifacts put in their place. */
  readonly with: readonly MavenArtifact[];
}

export interface EngineSpec {
  readonly name: EngineName;
  readonly server: MavenArtifact;
  readonly java: JavaRange;
  readonly mainClass: string;
  /** Plugins loaded: the Hive connector for the events; memory for small scratch tables. */
  readonly plugins: readonly string[];
  readonly jarOverrides: readonly JarOverride[];
  readonly jvmOptions: readonly string[];
  /** config.properties lines beyond the ones both engines share. */
  readonly extraConfig: Readonly<Record<string, string>>;
  readonly hiveConnector: string;
  /** The URI scheme each engine's file system layer uses for a local path. */
  readonly localUri: (absolutePath: string) => string;
  /** Hive catalog lines wherever the engine runs (`webcube stack` and docker-compose alike). */
  readonly catalog: Readonly<Record<string, string>>;
  /** Hive catalog lines for reading the local file system (`webcube stack` only). */
  readonly localCatalog: Readonly<Record<string, string>>;
  /**
   * Whether its file metastore accepts tables located on S3. PrestoDB 0.287's does not:
   * FileHiveMetastore.createTable opens every table location as a java.io.File ("URI scheme is
   * not \"file\""), external or managed, so on S3 it needs a Thrift Hive metastore.
   */
  readonly fileMetastoreTablesOnS3: boolean;
  /** Hive catalog lines that reach an S3-compatible server (path-style, plain HTTP allowed). */
  readonly s3Catalog: (s3: S3Access) => Readonly<Record<string, string>>;
  /** CUBEJS_DB_TYPE for the API. */
  readonly cubeDbType: 'prestodb' | 'trino';
}

const asm = (artifactId: string): MavenArtifact => ({ groupId: 'org.ow2.asm', artifactId, version: '9.7.1' });

// PrestoDB publishes its server tarball to Maven Central up to 0.287. That release runs on Java
// 17 once its ASM 9.0 (class files up to Java 16) is replaced by a newer, compatible ASM: Drift's
// code generator reads JDK classes with it at start.
const presto: EngineSpec = {
  name: 'presto',
  server: { groupId: 'com.facebook.presto', artifactId: 'presto-server', version: '0.287', type: 'tar.gz' },
  java: { min: 17, max: 17 },
  mainClass: 'com.facebook.presto.server.PrestoServer',
  plugins: ['hive-hadoop2', 'memory'],
  jarOverrides: [{ replaces: /^asm(-analysis|-tree|-util|-commons)?-9\.0\.jar$/, with: ['asm', 'asm-analysis', 'asm-tree', 'asm-util'].map(asm) }],
  jvmOptions: [
    ...['java.lang', 'java.lang.invoke', 'java.lang.reflect', 'java.io', 'java.net', 'java.nio', 'java.util', 'java.util.concurrent', 'sun.nio.ch', 'jdk.internal.misc']
      .map((pkg) => `--add-opens=java.base/${pkg}=ALL-UNNAMED`),
    // Presto's Hive connector writes (CTAS of original_sql pre-aggregations) only when the JVM's
    // zone is hive.time-zone ("To write Hive data, your JVM timezone must match the Hive storage
    // timezone"). Pinned here, so the machine's TZ no longer matters; it also makes UTC the
    // default session zone.
    '-Duser.timezone=UTC',
  ],
  extraConfig: {
    'discovery-server.enabled': 'true',
    // TIMESTAMP without time zone as the SQL standard (and DuckDB, Trino) read it, not shifted by
    // the session's zone.
    'deprecated.legacy-timestamp': 'false',
  },
  hiveConnector: 'hive-hadoop2',
  localUri: (path) => `file://${path}`,
  catalog: {
    // Parquet timestamps are read as written, whatever the JVM's zone.
    'hive.time-zone': 'UTC',
    'hive.parquet.use-column-names': 'true',
    'hive.allow-drop-table': 'true',
    'hive.allow-rename-table': 'true',
  },
  localCatalog: {},
  fileMetastoreTablesOnS3: false,
  // PrestoS3FileSystem (Hadoop's s3a:// and s3:// both map to it); it has no region setting: the
  // endpoint decides.
  s3Catalog: (s3) => ({
    'hive.s3.endpoint': s3.endpoint, 'hive.s3.path-style-access': 'true', 'hive.s3.ssl.enabled': String(s3.endpoint.startsWith('https:')),
    'hive.s3.aws-access-key': s3.accessKeyId, 'hive.s3.aws-secret-key': s3.secretAccessKey,
  }),
  cubeDbType: 'prestodb',
};

const trino: EngineSpec = {
  name: 'trino',
  server: { groupId: 'io.trino', artifactId: 'trino-server', version: '476', type: 'tar.gz' },
  java: { min: 24 },
  mainClass: 'io.trino.server.TrinoServer',
  plugins: ['hive', 'memory'],
  jarOverrides: [],
  jvmOptions: ['--enable-native-access=ALL-UNNAMED', '-XX:+EnableDynamicAgentLoading'],
  extraConfig: {},
  hiveConnector: 'hive',
  localUri: (path) => `local://${path}`,
  catalog: {},
  localCatalog: { 'fs.native-local.enabled': 'true', 'local.location': '/' },
  fileMetastoreTablesOnS3: true,
  // Trino's native S3 file system, beside the local one (the file metastore stays local).
  s3Catalog: (s3) => ({
    'fs.native-s3.enabled': 'true', 's3.endpoint': s3.endpoint, 's3.path-style-access': 'true', 's3.region': s3.region,
    's3.aws-access-key': s3.accessKeyId, 's3.aws-secret-key': s3.secretAccessKey,
  }),
  cubeDbType: 'trino',
};

export const engines: Readonly<Record<EngineName, EngineSpec>> = { presto, trino };
