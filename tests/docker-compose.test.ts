// The scaled-out setup cannot run here (no Docker engine), so check what compose itself
// resolves: every service wired to the pieces it needs, and every mounted file present.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const repo = new URL('..', import.meta.url).pathname;

function composeConfig(env: Record<string, string>): { status: number | null; stdout: string; stderr: string } {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  const [cmd, args] = plugin.status === 0 ? ['docker', ['compose', 'config']] : ['docker-compose', ['config']];
  const run = spawnSync(cmd, args, { cwd: repo, encoding: 'utf8', env: { ...process.env, ...env } });
  if (run.error) throw new Error(`neither 'docker compose' nor 'docker-compose' is installed: ${run.error.message}`);
  return run;
}

type Service = { environment?: Record<string, string>; volumes?: (string | { source: string; type: string })[]; command?: string[]; depends_on?: unknown };

test('docker-compose.yml resolves with MinIO, Hive metastore, Presto, MySQL and webcube wired together', () => {
  const run = composeConfig({ CUBEJS_API_SECRET: 'compose-test-secret' });
  assert.equal(run.status, 0, run.stderr);
  const services = parse(run.stdout).services as Record<string, Service>;
  for (const name of ['minio', 'minio-init', 'hive-metastore', 'presto', 'presto-init', 'mysql', 'collector', 'api', 'refresh']) {
    assert.ok(services[name], `service ${name}`);
  }
  assert.deepEqual(services.collector.command, ['collector']);
  assert.equal(services.collector.environment?.WEBCUBE_DATA_DIR, 's3://webcube');
  assert.equal(services.collector.environment?.AWS_ENDPOINT_URL, 'http://minio:9000');
  // The table presto-init creates (deploy/presto/events.sql), in the metastore both engines use.
  assert.equal(services.collector.environment?.WEBCUBE_COMPACT_HIVE_METASTORE, 'thrift://hive-metastore:9083/atomic.events');
  for (const name of ['api', 'refresh']) {
    const env = services[name].environment ?? {};
    assert.equal(env.CUBEJS_DB_TYPE, 'prestodb');
    assert.equal(env.CUBEJS_DB_HOST, 'presto');
    assert.equal(env.CUBEJS_EXT_DB_TYPE, 'mysql');
    assert.equal(env.CUBEJS_EXT_DB_HOST, 'mysql');
    assert.equal(env.CUBEJS_API_SECRET, 'compose-test-secret');
  }
  assert.equal(services.api.environment?.CUBEJS_REFRESH_WORKER, 'false');
  assert.equal(services.refresh.environment?.CUBEJS_REFRESH_WORKER, 'true');
});

test('every file compose mounts into a container exists in the repo', () => {
  const run = composeConfig({ CUBEJS_API_SECRET: 'x' });
  const services = parse(run.stdout).services as Record<string, Service>;
  const binds = Object.values(services).flatMap((s) => s.volumes ?? [])
    .map((v) => (typeof v === 'string' ? v.split(':')[0] : v.type === 'bind' ? v.source : ''))
    .filter((source) => source.startsWith('/') || source.startsWith('.'));
  assert.ok(binds.length >= 4);
  for (const source of binds) assert.ok(existsSync(source.startsWith('/') ? source : join(repo, source)), source);
});

test('compose refuses to start the API without CUBEJS_API_SECRET, naming the variable', () => {
  const run = composeConfig({ CUBEJS_API_SECRET: '' });
  assert.notEqual(run.status, 0);
  assert.match(run.stderr, /CUBEJS_API_SECRET/);
});
