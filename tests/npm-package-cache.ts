// Fetches a pinned npm package's tarball through npm itself (its registry settings apply) into
// webcube's cache and unpacks it there, for tests that need a package the project cannot depend
// on (a peer-dependency clash, a browser build served as a file); a cached copy is reused.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const CACHE = join(process.env.WEBCUBE_CACHE_DIR || join(homedir(), '.cache', 'webcube'), 'npm');

/** The unpacked package folder of `name@version` (its package.json at the top). */
export function cachedNpmPackage(name: string, version: string): string {
  const dir = join(CACHE, `${name.replace('/', '+')}@${version}`);
  if (existsSync(join(dir, 'package.json'))) return dir;
  const staging = `${dir}.${process.pid}.tmp`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--silent', '--pack-destination', staging], { encoding: 'utf8', timeout: 300_000 });
  if (pack.status !== 0) throw new Error(`npm pack ${name}@${version} failed:\n${pack.stderr}`);
  const tarball = join(staging, pack.stdout.trim().split('\n').pop()!);
  const untar = spawnSync('tar', ['xzf', tarball, '-C', staging, '--strip-components=1'], { encoding: 'utf8' });
  if (untar.status !== 0) throw new Error(`unpacking ${tarball} failed:\n${untar.stderr}`);
  rmSync(tarball);
  rmSync(dir, { recursive: true, force: true });
  renameSync(staging, dir);
  return dir;
}
