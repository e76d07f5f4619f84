// Starts an engine's JVM in the background, waits until it answers queries, and stops it again.
// State lives in <state>/<engine>/stack.json (see background-process.ts).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, readRunning, spawnDetached, stopProcess, waitReady, writeRunning, type RunningProcess } from './background-process.ts';
import { formatProperties, hiveCatalog, jvmOptions, memoryCatalog, nodeProperties, serverProperties, type EngineLayout } from './engine-config.ts';
import { classpath, installEngine, linkPlugins } from './engine-install.ts';
import type { EngineSpec } from './engine-spec.ts';
import { describeRange, findJava } from './java-runtime.ts';
import { StackSetupError } from './maven-artifact.ts';
import type { S3Access } from './s3-access.ts';
import { runStatement } from './statement-client.ts';

export { freePort, isAlive } from './background-process.ts';

export interface RunningEngine extends RunningProcess {
  readonly engine: EngineSpec['name'];
  readonly metastoreDir: string;
  /** The S3 endpoint its Hive catalog was configured with, if any. */
  readonly s3Endpoint?: string;
  /** The Thrift metastore its Hive catalog uses, if not its own file metastore. */
  readonly metastoreUri?: string;
}

// A JVM starting beside other JVMs on 2 busy cores took over 4 minutes; an exit is caught at once anyway.
const READY_TIMEOUT_MS = 600_000;

export const readRunningEngine = (stateDir: string) => readRunning<RunningEngine>(stateDir);

async function answersQueries(engine: RunningEngine): Promise<boolean> {
  const info = await fetch(`http://127.0.0.1:${engine.port}/v1/info`);
  if (!info.ok || (await info.json() as { starting?: boolean }).starting !== false) return false;
  const rows = await runStatement({ engine: engine.engine, port: engine.port }, 'SELECT 1');
  return rows.length === 1;
}

export interface StartOptions {
  readonly cacheDir: string;
  readonly stateRoot: string;
  readonly heap: string;
  readonly env: NodeJS.ProcessEnv;
  /** Configures the Hive catalog for this S3-compatible server too. */
  readonly s3?: S3Access;
  /** A Thrift Hive metastore for the Hive catalog (else a file metastore in its state folder). */
  readonly metastoreUri?: string;
}

export async function startEngine(spec: EngineSpec, options: StartOptions): Promise<RunningEngine> {
  const stateDir = join(options.stateRoot, spec.name);
  const running = readRunningEngine(stateDir);
  if (running) {
    if (options.s3 && running.s3Endpoint !== options.s3.endpoint) {
      throw new StackSetupError(`${spec.name} runs already without S3 settings for ${options.s3.endpoint}; stop it (webcube stack stop ${spec.name}) and start it again`);
    }
    if (options.metastoreUri !== running.metastoreUri) {
      throw new StackSetupError(`${spec.name} runs already with ${running.metastoreUri ? `the metastore ${running.metastoreUri}` : 'its file metastore'}; stop it (webcube stack stop ${spec.name}) and start it again`);
    }
    return running;
  }
  const java = findJava(spec.java, options.env);
  if (!java) throw new StackSetupError(`${spec.name} needs ${describeRange(spec.java)}: install one (e.g. a Temurin JDK under /usr/lib/jvm) or point JAVA_HOME at it`);
  const install = await installEngine(spec, options.cacheDir);
  const layout: EngineLayout = {
    port: await freePort(), dataDir: join(stateDir, 'data'), pluginDir: join(stateDir, 'plugin'),
    metastoreDir: join(stateDir, 'metastore'), heap: options.heap, s3: options.s3,
    ...(options.metastoreUri ? { metastoreUri: options.metastoreUri } : {}),
  };
  const etc = join(stateDir, 'etc');
  for (const dir of [etc, join(etc, 'catalog'), layout.dataDir, layout.metastoreDir]) mkdirSync(dir, { recursive: true });
  linkPlugins(spec, install, layout.pluginDir);
  const config = join(etc, 'config.properties');
  writeFileSync(config, formatProperties(serverProperties(spec, layout)));
  writeFileSync(join(etc, 'node.properties'), formatProperties(nodeProperties(spec, layout)));
  writeFileSync(join(etc, 'catalog', 'hive.properties'), formatProperties(hiveCatalog(spec, layout)));
  writeFileSync(join(etc, 'catalog', 'memory.properties'), formatProperties(memoryCatalog));
  const jvm = jvmOptions(spec, layout);
  writeFileSync(join(etc, 'jvm.config'), `${jvm.join('\n')}\n`);

  const logFile = join(stateDir, 'server.log');
  const props = { ...nodeProperties(spec, layout), config, 'catalog.config-dir': join(etc, 'catalog'), 'log.output-file': logFile, 'log.enable-console': 'false' };
  const pid = spawnDetached({
    command: java.javaBin, args: ['-cp', classpath(spec, install), ...jvm, ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), spec.mainClass],
    cwd: stateDir, env: options.env, logFile,
  });
  const engine: RunningEngine = {
    engine: spec.name, pid, port: layout.port, stateDir, metastoreDir: layout.metastoreDir, logFile,
    ...(options.s3 ? { s3Endpoint: options.s3.endpoint } : {}),
    ...(options.metastoreUri ? { metastoreUri: options.metastoreUri } : {}),
  };
  writeRunning(engine);
  process.stderr.write(`webcube stack: ${spec.name} starting on port ${layout.port} (Java ${java.major}; log ${logFile})…\n`);
  await waitReady(spec.name, engine, () => answersQueries(engine), READY_TIMEOUT_MS);
  return engine;
}

export const stopEngine = stopProcess;
