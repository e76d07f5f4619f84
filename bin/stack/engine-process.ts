// Starts an engine's JVM in the background (its own process group, output to a log file), waits
// until it answers queries, and stops it again. State lives in <state>/<engine>/stack.json.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { formatProperties, hiveCatalog, jvmOptions, memoryCatalog, nodeProperties, serverProperties, type EngineLayout } from './engine-config.ts';
import { classpath, installEngine, linkPlugins } from './engine-install.ts';
import type { EngineSpec } from './engine-spec.ts';
import { describeRange, findJava } from './java-runtime.ts';
import { StackSetupError } from './maven-artifact.ts';
import { runStatement } from './statement-client.ts';

export interface RunningEngine {
  readonly engine: EngineSpec['name'];
  readonly pid: number;
  readonly port: number;
  readonly stateDir: string;
  readonly metastoreDir: string;
  readonly logFile: string;
}

const STATE_FILE = 'stack.json';
const READY_TIMEOUT_MS = 240_000;

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export const isAlive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };

export function readRunning(stateDir: string): RunningEngine | undefined {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as RunningEngine;
  return isAlive(state.pid) ? state : undefined;
}

async function answersQueries(engine: RunningEngine): Promise<boolean> {
  try {
    const info = await fetch(`http://127.0.0.1:${engine.port}/v1/info`);
    if (!info.ok || (await info.json() as { starting?: boolean }).starting !== false) return false;
    const rows = await runStatement({ engine: engine.engine, port: engine.port }, 'SELECT 1');
    return rows.length === 1;
  } catch {
    return false;
  }
}

async function waitReady(engine: RunningEngine): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (!isAlive(engine.pid)) throw new StackSetupError(`${engine.engine} exited while starting; see ${engine.logFile}`);
    if (await answersQueries(engine)) return;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new StackSetupError(`${engine.engine} did not answer queries within ${READY_TIMEOUT_MS / 1000} s; see ${engine.logFile}`);
}

export interface StartOptions {
  readonly cacheDir: string;
  readonly stateRoot: string;
  readonly heap: string;
  readonly env: NodeJS.ProcessEnv;
}

export async function startEngine(spec: EngineSpec, options: StartOptions): Promise<RunningEngine> {
  const stateDir = join(options.stateRoot, spec.name);
  const running = readRunning(stateDir);
  if (running) return running;
  const java = findJava(spec.java, options.env);
  if (!java) throw new StackSetupError(`${spec.name} needs ${describeRange(spec.java)}: install one (e.g. a Temurin JDK under /usr/lib/jvm) or point JAVA_HOME at it`);
  const install = await installEngine(spec, options.cacheDir);
  const layout: EngineLayout = {
    port: await freePort(), dataDir: join(stateDir, 'data'), pluginDir: join(stateDir, 'plugin'),
    metastoreDir: join(stateDir, 'metastore'), heap: options.heap,
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
  const out = openSync(logFile, 'a');
  const props = { ...nodeProperties(spec, layout), config, 'catalog.config-dir': join(etc, 'catalog'), 'log.output-file': logFile, 'log.enable-console': 'false' };
  const child = spawn(java.javaBin, ['-cp', classpath(spec, install), ...jvm, ...Object.entries(props).map(([k, v]) => `-D${k}=${v}`), spec.mainClass], {
    cwd: stateDir, detached: true, stdio: ['ignore', out, out], env: options.env,
  });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new StackSetupError(`${spec.name}: could not start ${java.javaBin}`);
  const engine: RunningEngine = { engine: spec.name, pid: child.pid, port: layout.port, stateDir, metastoreDir: layout.metastoreDir, logFile };
  writeFileSync(join(stateDir, STATE_FILE), JSON.stringify(engine, null, 2));
  process.stderr.write(`webcube stack: ${spec.name} starting on port ${layout.port} (Java ${java.major}; log ${logFile})…\n`);
  try {
    await waitReady(engine);
  } catch (error) {
    await stopEngine(stateDir);
    throw error;
  }
  return engine;
}

export async function stopEngine(stateDir: string): Promise<boolean> {
  const running = readRunning(stateDir);
  rmSync(join(stateDir, STATE_FILE), { force: true });
  if (!running) return false;
  const signal = (s: NodeJS.Signals) => { try { process.kill(-running.pid, s); } catch { /* already gone */ } };
  signal('SIGTERM');
  for (let i = 0; i < 300 && isAlive(running.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(running.pid)) signal('SIGKILL');
  return true;
}
