// `webcube stack start|stop|status [service…]`: the scaled-out services, natively, without
// Docker. stdout carries only KEY=value lines (an env file for the API); logs go to stderr and
// to <state>/stack.log.
import { appendFileSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { engines, type EngineName, type EngineSpec } from './engine-spec.ts';
import { readRunning, startEngine, stopEngine, type RunningEngine } from './engine-process.ts';
import { StackSetupError } from './maven-artifact.ts';
import { registerEvents } from './register-events.ts';

const SERVICES = Object.keys(engines) as EngineName[];

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

function parseServices(args: string[], fallback: EngineName[]): EngineName[] {
  const names = args.filter((a) => !a.startsWith('--'));
  const unknown = names.filter((n) => !SERVICES.includes(n as EngineName));
  if (unknown.length > 0) throw new StackSetupError(`unknown service '${unknown[0]}': choose from ${SERVICES.join(', ')}`);
  return names.length > 0 ? (names as EngineName[]) : fallback;
}

function logger(stateRoot: string): (line: string) => void {
  mkdirSync(stateRoot, { recursive: true });
  return (line) => {
    process.stderr.write(`webcube stack: ${line}\n`);
    appendFileSync(join(stateRoot, 'stack.log'), `${new Date().toISOString()} ${line}\n`);
  };
}

async function start(names: EngineName[], paths: StackPaths, env: NodeJS.ProcessEnv, heap: string): Promise<string[]> {
  const log = logger(paths.stateRoot);
  const lines: string[] = [];
  for (const [index, name] of names.entries()) {
    const spec = engines[name];
    const engine = await startEngine(spec, { cacheDir: paths.cacheDir, stateRoot: paths.stateRoot, heap, env });
    const table = await registerEvents(spec, engine, paths.dataLocation);
    log(`${name} answers queries on 127.0.0.1:${engine.port}; events table ${table} over ${paths.dataLocation}`);
    if (index === 0) lines.push(...engineSettings(spec, engine, table), `WEBCUBE_EVENTS_TABLE=${table}`);
    if (names.length > 1) lines.push(...engineSettings(spec, engine, table, `CUBEJS_DS_${name.toUpperCase()}_`));
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
      for (const name of parseServices(rest, SERVICES).filter((n) => running.includes(n))) {
        if (await stopEngine(join(paths.stateRoot, name))) logger(paths.stateRoot)(`${name} stopped`);
      }
      return;
    }
    case 'status': {
      for (const name of SERVICES) {
        const engine = readRunning(join(paths.stateRoot, name));
        process.stdout.write(engine ? `${name}: running, pid ${engine.pid}, port ${engine.port}\n` : `${name}: stopped\n`);
      }
      return;
    }
    default:
      throw new StackSetupError('usage: webcube stack start <presto|trino>… | stop [service…] | status');
  }
}
