// `webcube stack start|stop|status [service…]`: the scaled-out services (an S3-compatible server,
// PrestoDB, Trino), natively, without Docker. stdout carries only KEY=value lines (an env file for the API); logs go to stderr and
// to <state>/stack.log.
import { appendFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { engines, type EngineName, type EngineSpec } from './engine-spec.ts';
import { readRunningEngine, startEngine, stopEngine, type RunningEngine } from './engine-process.ts';
import { StackSetupError } from './maven-artifact.ts';
import { eventsLocation, registerEvents } from './register-events.ts';
import { s3AccessFromEnv, s3Settings, type S3Access } from './s3-access.ts';
import { ensureS3Folder } from './s3-folder.ts';
import { writeComposeFiles } from './compose-config.ts';
import { readRunningS3, startS3Server, stopS3Server } from './s3-server.ts';
import { readRunningMetastore, startMetastore, stopMetastore } from './metastore-server.ts';
import { kafkaSettings, readRunningKafka, startKafka, stopKafka } from './kafka-broker.ts';

type ServiceName = 's3' | 'metastore' | EngineName | 'kafka';
// s3 and metastore first: the engines' Hive catalog is configured for them when they run.
const SERVICES: ServiceName[] = ['s3', 'metastore', ...Object.keys(engines) as EngineName[], 'kafka'];
const isEngine = (name: ServiceName): name is EngineName => name !== 's3' && name !== 'metastore' && name !== 'kafka';

export interface StackPaths { readonly cacheDir: string; readonly stateRoot: string; readonly dataLocation: string }

export function stackPaths(env: NodeJS.ProcessEnv): StackPaths {
  const dataLocation = env.WEBCUBE_DATA_DIR || './data';
  const local = !/^s3a?:\/\//.test(dataLocation);
  return {
    cacheDir: resolve(env.WEBCUBE_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'webcube')),
    stateRoot: resolve(env.WEBCUBE_STACK_DIR || (local ? join(dataLocation, 'stack') : '.webcube/stack')),
    dataLocation,
  };
}

/** The settings the API needs to query an engine; named (CUBEJS_DS_<NAME>_…) when several run. */
export function engineSettings(spec: EngineSpec, engine: RunningEngine, eventsTable: string, prefix = 'CUBEJS_'): string[] {
  const [catalog, schema] = eventsTable.split('.');
  return [
    `${prefix}DB_TYPE=${spec.cubeDbType}`, `${prefix}DB_HOST=127.0.0.1`, `${prefix}DB_PORT=${engine.port}`,
    `${prefix}DB_PRESTO_CATALOG=${catalog}`, `${prefix}DB_SCHEMA=${schema}`, `${prefix}DB_USER=webcube`,
  ];
}

function parseServices(args: string[], fallback: ServiceName[]): ServiceName[] {
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SERVICES.includes(n as ServiceName));
  if (unknown.length > 0) throw new StackSetupError(`unknown service '${unknown[0]}': choose from ${SERVICES.join(', ')}`);
  return SERVICES.filter((s) => (names.length > 0 ? names : fallback).includes(s));
}

function logger(stateRoot: string): (line: string) => void {
  mkdirSync(stateRoot, { recursive: true });
  return (line) => {
    process.stderr.write(`webcube stack: ${line}\n`);
    appendFileSync(join(stateRoot, 'stack.log'), `${new Date().toISOString()} ${line}\n`);
  };
}

/** Where the events live and how to reach them: the stack's own s3 when it runs, else WEBCUBE_DATA_DIR. */
function dataSource(paths: StackPaths, env: NodeJS.ProcessEnv): { location: string; s3?: S3Access } {
  const s3 = readRunningS3(join(paths.stateRoot, 's3'));
  if (s3) return { location: `s3://${s3.bucket}`, s3: s3.access };
  if (!/^s3a?:\/\//.test(paths.dataLocation)) return { location: paths.dataLocation };
  const access = s3AccessFromEnv(env);
  if (!access) throw new StackSetupError(`WEBCUBE_DATA_DIR is ${paths.dataLocation}: set AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY (and AWS_ENDPOINT_URL for a server other than AWS), or start the stack's own: webcube stack start s3`);
  return { location: paths.dataLocation, s3: access };
}

async function start(names: ServiceName[], paths: StackPaths, env: NodeJS.ProcessEnv, heap: string): Promise<string[]> {
  const engineNames = names.filter(isEngine);
  // Checked before anything starts or any folder is made.
  if (engineNames.length > 0 && !names.includes('s3')) dataSource(paths, env);
  const onS3 = names.includes('s3') || readRunningS3(join(paths.stateRoot, 's3')) !== undefined || /^s3a?:\/\//.test(paths.dataLocation);
  const withMetastore = names.includes('metastore') || readRunningMetastore(join(paths.stateRoot, 'metastore')) !== undefined;
  const noS3Tables = engineNames.filter((name) => onS3 && !withMetastore && !engines[name].fileMetastoreTablesOnS3);
  if (noS3Tables.length > 0) {
    throw new StackSetupError(`${noS3Tables.join(', ')} cannot register the events table on S3 with its file metastore (local table locations only): start the Hive metastore too, e.g. webcube stack start s3 metastore ${noS3Tables.join(' ')}`);
  }
  const log = logger(paths.stateRoot);
  const lines: string[] = [];
  if (names.includes('s3')) {
    const s3 = await startS3Server({ cacheDir: paths.cacheDir, stateRoot: paths.stateRoot, env });
    log(`s3 answers on ${s3.access.endpoint}; bucket ${s3.bucket}`);
    // WEBCUBE_STACK_DIR too: once WEBCUBE_DATA_DIR is s3://, the default stack folder would no
    // longer be the one these services run from.
    lines.push(...s3Settings(s3.access, s3.bucket), `WEBCUBE_STACK_DIR=${paths.stateRoot}`);
  }
  const data = engineNames.length > 0 || names.includes('metastore') ? dataSource(paths, env) : undefined;
  let metastoreUri = readRunningMetastore(join(paths.stateRoot, 'metastore'))?.uri;
  if (names.includes('metastore')) {
    const metastore = await startMetastore({ cacheDir: paths.cacheDir, stateRoot: paths.stateRoot, env, s3: data?.s3 });
    log(`metastore answers on ${metastore.uri}`);
    metastoreUri = metastore.uri;
  }
  for (const [index, name] of engineNames.entries()) {
    const spec = engines[name];
    const engine = await startEngine(spec, { cacheDir: paths.cacheDir, stateRoot: paths.stateRoot, heap, env, s3: data?.s3, metastoreUri });
    if (data!.s3) await ensureS3Folder(data!.s3, eventsLocation(spec, data!.location));
    const table = await registerEvents(spec, engine, data!.location);
    log(`${name} answers queries on 127.0.0.1:${engine.port}; events table ${table} over ${data!.location}`);
    if (index === 0) lines.push(...engineSettings(spec, engine, table), `WEBCUBE_EVENTS_TABLE=${table}`);
    if (engineNames.length > 1) lines.push(...engineSettings(spec, engine, table, `CUBEJS_DS_${name.toUpperCase()}_`));
  }
  if (names.includes('kafka')) {
    const kafka = await startKafka({ cacheDir: paths.cacheDir, stateRoot: paths.stateRoot, env });
    log(`kafka answers on ${kafka.brokers}`);
    lines.push(...kafkaSettings(kafka));
  }
  return lines;
}

export async function stackCommand(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  const [verb, ...rest] = args;
  const paths = stackPaths(env);
  const heapArg = rest.find((a) => a.startsWith('--heap='));
  const heap = heapArg?.slice('--heap='.length) || env.WEBCUBE_STACK_HEAP || '3G';
  if (!/^\d+[MG]$/.test(heap)) throw new StackSetupError(`the heap size must look like 2G or 1536M, got '${heap}'`);
  switch (verb) {
    case 'start': {
      const names = parseServices(rest, []);
      if (names.length === 0) throw new StackSetupError(`name the services to start: ${SERVICES.join(', ')}`);
      process.stdout.write(`${(await start(names, paths, env, heap)).join('\n')}\n`);
      return;
    }
    case 'stop': {
      const running = existsSync(paths.stateRoot) ? readdirSync(paths.stateRoot) : [];
      // Engines before the s3 server they may still be writing to.
      for (const name of parseServices(rest, SERVICES).filter((n) => running.includes(n)).reverse()) {
        const stop = isEngine(name) ? stopEngine : name === 'metastore' ? stopMetastore : name === 'kafka' ? stopKafka : stopS3Server;
        if (await stop(join(paths.stateRoot, name))) logger(paths.stateRoot)(`${name} stopped`);
      }
      return;
    }
    case 'status': {
      for (const name of SERVICES) {
        const dir = join(paths.stateRoot, name);
        const service = isEngine(name) ? readRunningEngine(dir) : name === 'metastore' ? readRunningMetastore(dir) : name === 'kafka' ? readRunningKafka(dir) : readRunningS3(dir);
        process.stdout.write(service ? `${name}: running, pid ${service.pid}, port ${service.port}\n` : `${name}: stopped\n`);
      }
      return;
    }
    case 'config': {
      const target = rest.find((a) => a.startsWith('--for='))?.slice(6) ?? rest[rest.indexOf('--for') + 1];
      if (target !== 'compose' || !rest.includes('--for') && !rest.some((a) => a.startsWith('--for='))) {
        throw new StackSetupError('usage: webcube stack config --for compose [--out <repo folder>] (writes deploy/ for docker-compose.yml)');
      }
      const out = rest.find((a) => a.startsWith('--out='))?.slice(6) ?? (rest.includes('--out') ? rest[rest.indexOf('--out') + 1] : '.');
      if (!out) throw new StackSetupError('--out: name a folder');
      for (const path of writeComposeFiles(resolve(out))) process.stderr.write(`webcube stack: wrote ${path}\n`);
      return;
    }
    default:
      throw new StackSetupError('usage: webcube stack start <s3|metastore|presto|trino|kafka>… | stop [service…] | status | config --for compose');
  }
}
