// Fetches an artifact from Maven Central through the user's own Maven (its mirrors, proxy and
// local repository apply) and copies it into webcube's cache; a cached file is used as it is.
// Of Maven's output only the artifact's own download progress and errors are shown.
import { existsSync, mkdirSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface MavenArtifact {
  readonly groupId: string;
  readonly artifactId: string;
  readonly version: string;
  readonly type?: string;
  readonly classifier?: string;
}

export const artifactFileName = (a: MavenArtifact) => `${a.artifactId}-${a.version}${a.classifier ? `-${a.classifier}` : ''}.${a.type ?? 'jar'}`;
export const artifactCoordinates = (a: MavenArtifact) => `${a.groupId}:${a.artifactId}:${a.version}:${a.type ?? 'jar'}${a.classifier ? `:${a.classifier}` : ''}`;

export class StackSetupError extends Error {}

const PROGRESS = /Progress \(\d+\): ([\d.]+(?:\/[\d.]+)? [kMG]B)/g;

/** Keeps Maven's errors, and its progress on files of megabytes, at most every 2 s. */
function progressFilter(label: string): (chunk: Buffer) => void {
  let lastShown = 0;
  return (chunk) => {
    const text = chunk.toString('utf8');
    for (const line of text.split(/\r|\n/)) if (/\[ERROR\]|BUILD FAILURE|Could not/.test(line)) process.stderr.write(`${line}\n`);
    const sizes = [...text.matchAll(PROGRESS)].map((m) => m[1]).filter((s) => / [MG]B$/.test(s));
    if (sizes.length > 0 && Date.now() - lastShown > 2000) {
      lastShown = Date.now();
      process.stderr.write(`webcube stack: ${label}: ${sizes.at(-1)}\n`);
    }
  };
}

export async function fetchArtifact(artifact: MavenArtifact, downloadsDir: string): Promise<string> {
  const file = join(downloadsDir, artifactFileName(artifact));
  if (existsSync(file)) return file;
  mkdirSync(downloadsDir, { recursive: true });
  const label = artifactCoordinates(artifact);
  process.stderr.write(`webcube stack: fetching ${label} from Maven Central (once; cached in ${downloadsDir})\n`);
  const status = await new Promise<number | Error>((resolve) => {
    const mvn = spawn('mvn', [
      // An explicit plugin version: Maven 3.8's default (2.8) cannot copy without a project.
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy', `-Dartifact=${label}`, `-DoutputDirectory=${downloadsDir}`,
      '-Dtransitive=false', '--no-snapshot-updates', '-Dstyle.color=never',
    ], { stdio: ['ignore', 'pipe', 'pipe'], cwd: downloadsDir });
    const show = progressFilter(label);
    mvn.stdout.on('data', show);
    mvn.stderr.on('data', show);
    mvn.once('error', resolve);
    mvn.once('close', (code) => resolve(code ?? 1));
  });
  if (status instanceof Error) throw new StackSetupError(`Maven (mvn) is needed to fetch ${label}: install it (apt-get install maven) and retry`);
  if (status !== 0 || !existsSync(file)) throw new StackSetupError(`fetching ${label} from Maven Central failed (see above); check the network or proxy and retry`);
  return file;
}
