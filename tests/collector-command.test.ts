// `webcube collector` as a process: it logs its URL, acknowledges events, and on SIGTERM stops
// accepting, flushes the store and exits 0, leaving the acknowledged events in Parquet.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

const root = new URL('..', import.meta.url).pathname;

test('SIGTERM flushes acknowledged events to Parquet and exits 0; a bad variable fails fast with its name', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-collector-cmd-'));
  try {
    const run = `import { collectorCommand } from ${JSON.stringify(`${root}collector/src/collector-command.ts`)}; await collectorCommand([], process.env);`;
    const env = { ...process.env, WEBCUBE_DATA_DIR: dir, COLLECTOR_PORT: '0', COLLECTOR_HOST: '127.0.0.1', COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_FLUSH_MS: '600000' };
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', run], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { out += d.toString(); });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const url = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', () => { const m = /listening on (http:\/\/\S+)/.exec(out); if (m) resolve(m[1]); });
      void exited.then(() => reject(new Error(`collector exited early: ${out}`)));
    });
    const res = await fetch(`${url}/com.snowplowanalytics.snowplow/tp2`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ schema: 'iglu:com.snowplowanalytics.snowplow/payload_data/jsonschema/1-0-4', data: [{ e: 'pv', p: 'web', tv: 't', eid: 'aaaaaaaa-0000-4000-8000-00000000c0de' }] }) });
    assert.equal(res.status, 200);
    child.kill('SIGTERM');
    assert.equal(await exited, 0, out);
    assert.match(out, /SIGTERM, flushing/);
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const rows = (await conn.runAndReadAll(`SELECT event_id FROM read_parquet('${dir}/events/**/*.parquet', hive_partitioning = true)`)).getRowObjectsJson();
    conn.closeSync();
    db.closeSync();
    assert.deepEqual(rows, [{ event_id: 'aaaaaaaa-0000-4000-8000-00000000c0de' }]);

    const bad = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', run], { cwd: root, env: { ...env, COLLECTOR_PORT: 'http' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    bad.stderr.on('data', (d: Buffer) => { err += d.toString(); });
    const code = await new Promise<number | null>((resolve) => bad.once('exit', resolve));
    assert.notEqual(code, 0);
    assert.match(err, /COLLECTOR_PORT/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
