// What every service of `webcube stack` shares: a free port, a detached process in its own group
// with its output in a log file, its state in <state>/<service>/stack.json, a wait until it
// answers, and a stop that takes the whole process group down.
import { closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { StackSetupError } from './maven-artifact.ts';

const STATE_FILE = 'stack.json';

export interface RunningProcess {
  readonly pid: number;
  readonly port: number;
  readonly stateDir: string;
  readonly logFile: string;
}

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

/** The state a service wrote at start, if its process still runs. */
export function readRunning<T extends RunningProcess>(stateDir: string): T | undefined {
  const file = join(stateDir, STATE_FILE);
  if (!existsSync(file)) return undefined;
  const state = JSON.parse(readFileSync(file, 'utf8')) as T;
  return isAlive(state.pid) ? state : undefined;
}

export interface DetachedCommand {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
}

/** Spawns a process that outlives this one (its own group, output appended to the log). */
export function spawnDetached(c: DetachedCommand): number {
  const out = openSync(c.logFile, 'a');
  const child = spawn(c.command, c.args, { cwd: c.cwd, detached: true, stdio: ['ignore', out, out], env: c.env });
  closeSync(out);
  child.unref();
  if (child.pid === undefined) throw new StackSetupError(`could not start ${c.command}`);
  return child.pid;
}

export const writeRunning = (state: RunningProcess) => writeFileSync(join(state.stateDir, STATE_FILE), JSON.stringify(state, null, 2));

/** Polls `ready` every second; stops the process if it exits or does not answer in time. */
export async function waitReady(name: string, state: RunningProcess, ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  try {
    while (Date.now() < deadline) {
      if (!isAlive(state.pid)) throw new StackSetupError(`${name} exited while starting; see ${state.logFile}`);
      if (await ready().catch(() => false)) return;
      await new Promise((r) => setTimeout(r, 1000));
    }
    throw new StackSetupError(`${name} did not answer within ${timeoutMs / 1000} s; see ${state.logFile}`);
  } catch (error) {
    await stopProcess(state.stateDir);
    throw error;
  }
}

export async function stopProcess(stateDir: string): Promise<boolean> {
  const running = readRunning(stateDir);
  rmSync(join(stateDir, STATE_FILE), { force: true });
  if (!running) return false;
  const signal = (s: NodeJS.Signals) => { try { process.kill(-running.pid, s); } catch { /* already gone */ } };
  signal('SIGTERM');
  for (let i = 0; i < 300 && isAlive(running.pid); i++) await new Promise((r) => setTimeout(r, 100));
  if (isAlive(running.pid)) signal('SIGKILL');
  return true;
}
