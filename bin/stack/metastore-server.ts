// `webcube stack start metastore`: a Thrift Hive metastore for the engines when the events live
// on S3 (PrestoDB's file metastore accepts local table locations only). Apache Hive's standalone
// metastore 3.1.3 from Maven Central, its class path resolved once with Maven (the jars stay in
// Maven's local repository; the class path is cached in ~/.cache/webcube/metastore), tables kept
// in an embedded Derby database under <state>/metastore/db, on Java 17.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { freePort, readRunning, spawnDetached, stopProcess, waitReady, writeRunning, type RunningProcess } from './background-process.ts';
import { describeRange, findJava, type JavaRange } from './java-runtime.ts';
import { StackSetupError } from './maven-artifact.ts';
import type { S3Access } from './s3-access.ts';

export interface RunningMetastore extends RunningProcess {
  readonly uri: string;
  /** The S3 endpoint it was configured with, if any. */
  readonly s3Endpoint?: string;
}

const HIVE_VERSION = '3.1.3';
// Hive 3.1's metastore needs Hadoop's FileSystem (hadoop-common) to check table folders, and
// S3A (hadoop-aws) for folders on S3; both left "provided" by its pom. Derby is the embedded store.
const DEPENDENCIES = [
  ['org.apache.hive', 'hive-standalone-metastore', HIVE_VERSION],
  ['org.apache.hadoop', 'hadoop-common', '3.1.0'],
  ['org.apache.hadoop', 'hadoop-aws', '3.1.0'],
  ['org.apache.derby', 'derby', '10.14.1.0'],
] as const;
// Hive 3.1 predates Java 21; 17 is what it is known to run on here.
const JAVA: JavaRange = { min: 17, max: 17 };
const READY_TIMEOUT_MS = 180_000;
const MAIN_CLASS = 'org.apache.hadoop.hive.metastore.HiveMetaStore';

export const readRunningMetastore = (stateDir: string) => readRunning<RunningMetastore>(stateDir);

function pom(): string {
  const deps = DEPENDENCIES.map(([g, a, v]) => `<dependency><groupId>${g}</groupId><artifactId>${a}</artifactId><version>${v}</version></dependency>`);
  return `<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
<groupId>webcube</groupId><artifactId>hive-metastore-classpath</artifactId><version>${HIVE_VERSION}</version>
<dependencies>${deps.join('')}</dependencies></project>\n`;
}

/** The metastore's class path, resolved with Maven once and cached. */
export async function metastoreClasspath(cacheDir: string): Promise<string> {
  const dir = join(cacheDir, 'metastore', HIVE_VERSION);
  const file = join(dir, 'classpath.txt');
  if (existsSync(file)) {
    const cached = readFileSync(file, 'utf8').trim();
    if (cached.split(':').every((jar) => existsSync(jar))) return cached;
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'pom.xml'), pom());
  process.stderr.write(`webcube stack: resolving the Hive metastore ${HIVE_VERSION} from Maven Central (once; about 200 MB)\n`);
  const status = await new Promise<number | Error>((resolve) => {
    const mvn = spawn('mvn', ['-B', '-q', '--no-snapshot-updates', 'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath',
      `-Dmdep.outputFile=${file}.tmp`], { cwd: dir, stdio: ['ignore', 'inherit', 'inherit'] });
    mvn.once('error', resolve);
    mvn.once('close', (code) => resolve(code ?? 1));
  });
  if (status instanceof Error) throw new StackSetupError('Maven (mvn) is needed to fetch the Hive metastore: install it (apt-get install maven) and retry');
  if (status !== 0 || !existsSync(`${file}.tmp`)) throw new StackSetupError('resolving the Hive metastore from Maven Central failed (see above); check the network or proxy and retry');
  writeFileSync(file, readFileSync(`${file}.tmp`, 'utf8'));
  return readFileSync(file, 'utf8').trim();
}

const xmlEscape = (s: string) => s.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

/** metastore-site.xml: Derby store, the standalone server's own expression proxy and tasks, S3A. */
export function metastoreSite(o: { port: number; stateDir: string; s3?: S3Access }): string {
  const props: Record<string, string> = {
    'metastore.thrift.port': String(o.port),
    'metastore.thrift.bind.host': '127.0.0.1',
    'javax.jdo.option.ConnectionURL': `jdbc:derby:;databaseName=${join(o.stateDir, 'db')};create=true`,
    'javax.jdo.option.ConnectionDriverName': 'org.apache.derby.jdbc.EmbeddedDriver',
    'datanucleus.schema.autoCreateAll': 'true',
    'metastore.schema.verification': 'false',
    'metastore.warehouse.dir': `file://${join(o.stateDir, 'warehouse')}`,
    // The defaults name classes of the full Hive (hive-exec), absent from the standalone server.
    'metastore.expression.proxy': 'org.apache.hadoop.hive.metastore.DefaultPartitionExpressionProxy',
    'metastore.task.threads.always': 'org.apache.hadoop.hive.metastore.events.EventCleanerTask',
    ...(o.s3 ? {
      // Trino names S3 folders s3://, PrestoDB s3a://: both go to S3A.
      'fs.s3.impl': 'org.apache.hadoop.fs.s3a.S3AFileSystem',
      'fs.s3a.endpoint': o.s3.endpoint, 'fs.s3a.path.style.access': 'true',
      'fs.s3a.connection.ssl.enabled': String(o.s3.endpoint.startsWith('https:')),
      'fs.s3a.access.key': o.s3.accessKeyId, 'fs.s3a.secret.key': o.s3.secretAccessKey,
    } : {}),
  };
  const lines = Object.entries(props).map(([k, v]) => `  <property><name>${k}</name><value>${xmlEscape(v)}</value></property>`);
  return `<?xml version="1.0"?>\n<configuration>\n${lines.join('\n')}\n</configuration>\n`;
}

const answers = (port: number) => new Promise<boolean>((resolve) => {
  const socket = connect(port, '127.0.0.1');
  socket.once('connect', () => { socket.destroy(); resolve(true); });
  socket.once('error', () => resolve(false));
});

export interface MetastoreStartOptions {
  readonly cacheDir: string;
  readonly stateRoot: string;
  readonly env: NodeJS.ProcessEnv;
  readonly s3?: S3Access;
  readonly port?: number;
}

export async function startMetastore(options: MetastoreStartOptions): Promise<RunningMetastore> {
  const stateDir = join(options.stateRoot, 'metastore');
  const running = readRunningMetastore(stateDir);
  if (running) {
    if (options.s3 && running.s3Endpoint !== options.s3.endpoint) {
      throw new StackSetupError(`the metastore runs already without S3 settings for ${options.s3.endpoint}; stop it (webcube stack stop metastore) and start it again`);
    }
    return running;
  }
  const java = findJava(JAVA, options.env);
  if (!java) throw new StackSetupError(`the Hive metastore needs ${describeRange(JAVA)}: install one or point JAVA_HOME at it`);
  const classpath = await metastoreClasspath(options.cacheDir);
  const conf = join(stateDir, 'conf');
  mkdirSync(conf, { recursive: true });
  const port = options.port ?? await freePort();
  writeFileSync(join(conf, 'metastore-site.xml'), metastoreSite({ port, stateDir, s3: options.s3 }));
  const logFile = join(stateDir, 'server.log');
  const pid = spawnDetached({
    command: java.javaBin,
    args: ['-Xmx512m', '-XX:TieredStopAtLevel=1', `-Dderby.stream.error.file=${join(stateDir, 'derby.log')}`, '-cp', `${conf}:${classpath}`, MAIN_CLASS],
    cwd: stateDir, env: options.env, logFile,
  });
  const metastore: RunningMetastore = {
    pid, port, stateDir, logFile, uri: `thrift://127.0.0.1:${port}`, ...(options.s3 ? { s3Endpoint: options.s3.endpoint } : {}),
  };
  writeRunning(metastore);
  process.stderr.write(`webcube stack: metastore (Hive ${HIVE_VERSION}) starting on port ${port} (Java ${java.major}; log ${logFile})…\n`);
  await waitReady('metastore', metastore, () => answers(port), READY_TIMEOUT_MS);
  return metastore;
}

export const stopMetastore = stopProcess;
