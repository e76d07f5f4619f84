// Puts Apache Kafka's broker in webcube's cache once. Kafka publishes no server tarball to Maven
// Central, only its jars: a generated pom naming kafka_2.13 lets the user's Maven resolve the
// broker's whole class path (its mirrors, proxy and local repository apply) into <cache>/engines.
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { StackSetupError } from './maven-artifact.ts';

export const KAFKA_VERSION = '4.1.2';
const COMPLETE = '.webcube-complete';

function pom(version: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>webcube</groupId><artifactId>kafka-broker</artifactId><version>${version}</version><packaging>pom</packaging>
  <dependencies>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka_2.13</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.apache.kafka</groupId><artifactId>kafka-tools</artifactId><version>${version}</version></dependency>
    <dependency><groupId>org.slf4j</groupId><artifactId>slf4j-reload4j</artifactId><version>1.7.36</version></dependency>
  </dependencies>
</project>
`;
}

function runMaven(dir: string): Promise<number | Error> {
  return new Promise((resolve) => {
    const mvn = spawn('mvn', [
      'org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies', '-DoutputDirectory=lib',
      '-DincludeScope=runtime', '--batch-mode', '--no-snapshot-updates', '-Dstyle.color=never',
    ], { stdio: ['ignore', 'pipe', 'pipe'], cwd: dir });
    const show = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (/\[ERROR\]|BUILD FAILURE|Could not/.test(line)) process.stderr.write(`${line}\n`);
    };
    mvn.stdout.on('data', show);
    mvn.stderr.on('data', show);
    mvn.once('error', resolve);
    mvn.once('close', (code) => resolve(code ?? 1));
  });
}

/** The folder of the broker's jars (`<home>/lib`), resolved once. */
export async function installKafka(cacheDir: string, version = KAFKA_VERSION): Promise<string> {
  const home = join(cacheDir, 'engines', `kafka-${version}`);
  if (existsSync(join(home, COMPLETE))) return join(home, 'lib');
  const partial = `${home}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  writeFileSync(join(partial, 'pom.xml'), pom(version));
  process.stderr.write(`webcube stack: fetching Apache Kafka ${version} jars from Maven Central (once; cached in ${home})\n`);
  const status = await runMaven(partial);
  if (status instanceof Error) throw new StackSetupError(`Maven (mvn) is needed to fetch Apache Kafka: install it (apt-get install maven) and retry`);
  if (status !== 0 || !readdirSync(join(partial, 'lib')).some((j) => j.startsWith('kafka_2.13-'))) {
    throw new StackSetupError(`fetching Apache Kafka ${version} from Maven Central failed (see above); check the network or proxy and retry`);
  }
  writeFileSync(join(partial, COMPLETE), new Date().toISOString());
  rmSync(home, { recursive: true, force: true });
  renameSync(partial, home);
  return join(home, 'lib');
}
