// Finds a JDK whose major version an engine runs on: JAVA_HOME, the JDKs under /usr/lib/jvm,
// then `java` on PATH. PrestoDB 0.287 runs on 17; Trino 476 needs 24 or newer.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

export interface JavaRange { readonly min: number; readonly max?: number }
export interface JavaRuntime { readonly javaBin: string; readonly major: number }

const JVM_ROOT = '/usr/lib/jvm';

/** `17.0.15` → 17, `1.8.0_392` → 8, `25` → 25. */
export function javaMajor(version: string): number {
  const [first, second] = version.split(/[.+_-]/).map(Number);
  return first === 1 ? second : first;
}

function releaseMajor(home: string): number | undefined {
  const release = join(home, 'release');
  if (!existsSync(release)) return undefined;
  const match = /^JAVA_VERSION="([^"]+)"/m.exec(readFileSync(release, 'utf8'));
  return match ? javaMajor(match[1]) : undefined;
}

function pathJavaMajor(): number | undefined {
  const run = spawnSync('java', ['-XshowSettings:properties', '-version'], { encoding: 'utf8' });
  const match = /java\.specification\.version = (\S+)/.exec(run.stderr ?? '');
  return run.status === 0 && match ? javaMajor(match[1]) : undefined;
}

function candidateHomes(env: NodeJS.ProcessEnv): string[] {
  const homes = env.JAVA_HOME ? [env.JAVA_HOME] : [];
  if (existsSync(JVM_ROOT)) homes.push(...readdirSync(JVM_ROOT).sort().reverse().map((d) => join(JVM_ROOT, d)));
  return homes;
}

const fits = (major: number, range: JavaRange) => major >= range.min && (range.max === undefined || major <= range.max);

export function findJava(range: JavaRange, env: NodeJS.ProcessEnv = process.env): JavaRuntime | undefined {
  for (const home of candidateHomes(env)) {
    const major = releaseMajor(home);
    const javaBin = join(home, 'bin', 'java');
    if (major !== undefined && fits(major, range) && existsSync(javaBin)) return { javaBin, major };
  }
  const onPath = pathJavaMajor();
  return onPath !== undefined && fits(onPath, range) ? { javaBin: 'java', major: onPath } : undefined;
}

export function describeRange(range: JavaRange): string {
  if (range.max === range.min) return `Java ${range.min}`;
  return range.max === undefined ? `Java ${range.min} or newer` : `Java ${range.min} to ${range.max}`;
}
