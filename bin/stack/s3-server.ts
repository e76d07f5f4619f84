// `webcube stack start s3`: an S3-compatible server on 127.0.0.1 for the collector and the
// engines, without Docker: Adobe's S3Mock, a Spring Boot jar from Maven Central, storing objects
// as files under <state>/s3/store (kept across restarts). It accepts any keys; webcube hands out
// fixed ones so every client signs its requests as against real S3.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readRunning, spawnDetached, stopProcess, waitReady, writeRunning, type RunningProcess } from './background-process.ts';
import { describeRange, findJava, type JavaRange } from './java-runtime.ts';
import { fetchArtifact, StackSetupError, type MavenArtifact } from './maven-artifact.ts';
import type { S3Access } from './s3-access.ts';

export interface RunningS3 extends RunningProcess {
  readonly bucket: string;
  readonly access: S3Access;
}

export const S3_BUCKET = 'webcube';
const S3MOCK: MavenArtifact = { groupId: 'com.adobe.testing', artifactId: 's3mock', version: '4.7.0', classifier: 'exec' };
const JAVA: JavaRange = { min: 17 };
const READY_TIMEOUT_MS = 180_000;

export const readRunningS3 = (stateDir: string) => readRunning<RunningS3>(stateDir);

export interface S3StartOptions {
  readonly cacheDir: string;
  readonly stateRoot: string;
  readonly env: NodeJS.ProcessEnv;
  /** A port picked beforehand, so engines can be configured (and started) while S3Mock starts. */
  readonly port?: number;
}

/** The fixed keys and region webcube hands out for the server on `port`. */
export const s3AccessAt = (port: number): S3Access => ({
  endpoint: `http://127.0.0.1:${port}`, region: 'us-east-1', accessKeyId: 'webcube', secretAccessKey: 'webcube-secret',
});

export async function startS3Server(options: S3StartOptions): Promise<RunningS3> {
  const stateDir = join(options.stateRoot, 's3');
  const running = readRunningS3(stateDir);
  if (running) return running;
  const java = findJava(JAVA, options.env);
  if (!java) throw new StackSetupError(`s3 (S3Mock) needs ${describeRange(JAVA)}: install one or point JAVA_HOME at it`);
  const jar = await fetchArtifact(S3MOCK, join(options.cacheDir, 'downloads'));
  const store = join(stateDir, 'store');
  mkdirSync(store, { recursive: true });
  const port = options.port ?? await freePort();
  const props = {
    // The main connector, plain HTTP on loopback, is the one clients use. S3Mock always adds a
    // second HTTP connector (on all interfaces, no address setting); port 0 puts it on an
    // unadvertised ephemeral port.
    'server.address': '127.0.0.1', 'server.port': String(port), 'server.ssl.enabled': 'false',
    'com.adobe.testing.s3mock.httpPort': '0',
    'com.adobe.testing.s3mock.store.root': store,
    'com.adobe.testing.s3mock.store.initialBuckets': S3_BUCKET,
    'com.adobe.testing.s3mock.store.retainFilesOnExit': 'true',
    'spring.main.banner-mode': 'off',
  };
  const logFile = join(stateDir, 'server.log');
  const pid = spawnDetached({
    command: java.javaBin,
    // A small heap and the C1 compiler only: objects stream to files, and start-up is what counts.
    args: ['-Xmx512m', '-XX:TieredStopAtLevel=1', '-jar', jar, ...Object.entries(props).map(([k, v]) => `--${k}=${v}`)],
    cwd: stateDir, env: options.env, logFile,
  });
  const s3: RunningS3 = {
    pid, port, stateDir, logFile, bucket: S3_BUCKET,
    access: s3AccessAt(port),
  };
  writeRunning(s3);
  process.stderr.write(`webcube stack: s3 (S3Mock ${S3MOCK.version}) starting on port ${port} (Java ${java.major}; log ${logFile})…\n`);
  const bucketAnswers = async () => (await fetch(`${s3.access.endpoint}/${S3_BUCKET}`, { method: 'HEAD' })).ok;
  await waitReady('s3', s3, bucketAnswers, READY_TIMEOUT_MS);
  return s3;
}

export const stopS3Server = stopProcess;
