// Puts an engine's server in webcube's cache once: fetched from Maven Central, unpacked, the
// tarball removed (Maven's local repository keeps its own copy). The unpacked tree is never
// changed: plugins are picked and jars replaced in a per-start plugin folder of links.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { basename, join } from 'node:path';
import type { EngineSpec, JarOverride } from './engine-spec.ts';
import { fetchArtifact, StackSetupError } from './maven-artifact.ts';

export interface EngineInstall {
  readonly home: string;
  /** Jars put before lib/* on the class path (replacements for left-out jars). */
  readonly classpathFirst: readonly string[];
}

const COMPLETE = '.webcube-complete';

function unpack(tarball: string, enginesDir: string, name: string): string {
  const home = join(enginesDir, name);
  if (existsSync(join(home, COMPLETE))) return home;
  const partial = `${home}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  process.stderr.write(`webcube stack: unpacking ${basename(tarball)}…\n`);
  const tar = spawnSync('tar', ['-xzf', tarball, '-C', partial, '--strip-components=1'], { stdio: ['ignore', 'ignore', process.stderr] });
  if (tar.status !== 0) throw new StackSetupError(`unpacking ${tarball} failed; delete it and retry`);
  writeFileSync(join(partial, COMPLETE), new Date().toISOString());
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  return home;
}

async function replacementJars(overrides: readonly JarOverride[], downloadsDir: string): Promise<string[]> {
  const jars: string[] = [];
  for (const artifact of overrides.flatMap((o) => o.with)) jars.push(await fetchArtifact(artifact, downloadsDir));
  return jars;
}

export async function installEngine(spec: EngineSpec, cacheDir: string): Promise<EngineInstall> {
  const downloads = join(cacheDir, 'downloads');
  const enginesDir = join(cacheDir, 'engines');
  const name = `${spec.server.artifactId}-${spec.server.version}`;
  let home = join(enginesDir, name);
  if (!existsSync(join(home, COMPLETE))) {
    const tarball = await fetchArtifact(spec.server, downloads);
    home = unpack(tarball, enginesDir, name);
    rmSync(tarball, { force: true });
  }
  return { home, classpathFirst: await replacementJars(spec.jarOverrides, downloads) };
}

/** A plugin folder of links: the kept plugins only, with overridden jars swapped. */
export function linkPlugins(spec: EngineSpec, install: EngineInstall, pluginDir: string): void {
  rmSync(pluginDir, { recursive: true, force: true });
  for (const plugin of spec.plugins) {
    const source = join(install.home, 'plugin', plugin);
    if (!existsSync(source)) throw new StackSetupError(`${spec.name}: plugin '${plugin}' is missing from ${install.home}; delete that folder and retry`);
    const target = join(pluginDir, plugin);
    mkdirSync(target, { recursive: true });
    const replaced = readdirSync(source).filter((jar) => spec.jarOverrides.some((o) => o.replaces.test(jar)));
    for (const jar of readdirSync(source)) if (!replaced.includes(jar)) symlinkSync(join(source, jar), join(target, jar));
    if (replaced.length > 0) for (const jar of install.classpathFirst) symlinkSync(jar, join(target, basename(jar)));
  }
}

/** lib/ minus the overridden jars, after their replacements. */
export function classpath(spec: EngineSpec, install: EngineInstall): string {
  const lib = join(install.home, 'lib');
  const jars = readdirSync(lib).filter((jar) => jar.endsWith('.jar') && !spec.jarOverrides.some((o) => o.replaces.test(jar)));
  return [...install.classpathFirst, ...jars.sort().map((jar) => join(lib, jar))].join(':');
}
