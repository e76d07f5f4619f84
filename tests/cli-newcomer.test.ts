// A newcomer's first commands, run as they would: the CLI from an empty folder of their own.
// `webcube start` there uses the shipped model (and says so), answers /readyz and queries;
// `webcube init` copies the model without overwriting the user's files; a readiness failure is
// logged once with its cause, which /readyz carries too.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const CLI = join(ROOT, 'bin', 'webcube.js');

/** The machine's environment without any webcube setting, as a newcomer's shell has it. */
function cleanEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(CUBEJS_|WEBCUBE_|COLLECTOR_|PORT$)/.test(k)));
  return { ...env, ...extra };
}

type Running = { child: ChildProcess; log: () => string; waitFor: (re: RegExp) => Promise<RegExpExecArray>; stop: () => Promise<number | null> };

function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv): Running {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => { out += d.toString(); for (const l of listeners) l(); };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return {
    child,
    log: () => out,
    waitFor: (re) => new Promise((resolve, reject) => {
      const check = () => { const m = re.exec(out); if (m) { listeners.delete(check); resolve(m); } };
      listeners.add(check);
      check();
      void exited.then(() => reject(new Error(`the CLI exited before printing ${re}:\n${out}`)));
    }),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

async function poll<T>(what: string, fn: () => Promise<T | undefined>, tries = 300): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

test('`webcube start` from an empty folder uses the shipped model, says so, is ready and counts an event', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-newcomer-'));
  const cli = runCli(['start', '--no-demo', '--no-dashboard'], dir, cleanEnv({
    PORT: '0', COLLECTOR_PORT: '0', WEBCUBE_HOST: '127.0.0.1', COLLECTOR_HOST: '127.0.0.1',
    COLLECTOR_DISK_MIN_FREE_BYTES: '0', COLLECTOR_FLUSH_MS: '200',
  }));
  try {
    const [, collectorUrl] = await cli.waitFor(/webcube: collector (http:\/\/\S+)/);
    const [, apiUrl] = await cli.waitFor(/webcube: API and dashboard (http:\/\/\S+)/);
    assert.match(cli.log(), /no schema\/ or cube\.js in .*: using the shipped web-analytics model .*npx webcube init/);
    assert.equal(cli.log().match(/shipped web-analytics model/g)!.length, 1, 'said once');

    const ready = await fetch(`${apiUrl}/readyz`);
    assert.deepEqual(await ready.json(), { health: 'HEALTH' });
    assert.equal(ready.status, 200);
    const meta = await (await fetch(`${apiUrl}/cubejs-api/v1/meta`)).json() as { cubes: { name: string }[] };
    assert.ok(meta.cubes.some((c) => c.name === 'page_views'), 'the dashboard has the web-analytics model');

    // One page view through the collector lands in ./data of the user's folder and is counted.
    const pixel = await fetch(`${collectorUrl}/i?e=pv&p=web&tv=curl&aid=newcomer&url=${encodeURIComponent('https://example.com/first')}&duid=9e1f2a3b-0000-4000-8000-000000000001&sid=9e1f2a3b-0000-4000-8000-000000000002&vid=1&eid=9e1f2a3b-0000-4000-8000-000000000003`);
    assert.equal(pixel.status, 200);
    const query = encodeURIComponent(JSON.stringify({ measures: ['events.count'], filters: [{ member: 'events.app_id', operator: 'equals', values: ['newcomer'] }] }));
    const count = await poll('the event to be counted', async () => {
      const body = await (await fetch(`${apiUrl}/cubejs-api/v1/load?query=${query}`)).json() as { data?: Record<string, string>[] };
      const n = Number(body.data?.[0]?.['events.count'] ?? 0);
      return n > 0 ? n : undefined;
    });
    assert.equal(count, 1);
    assert.ok(existsSync(join(dir, 'data', 'events')), 'data is written in the working directory');
    assert.equal(await cli.stop(), 0, cli.log());
  } finally {
    await cli.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('`webcube init` copies schema/, cube.js and .env.example, keeps a changed file unless --force', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-init-'));
  const init = (...args: string[]) => spawnSync(process.execPath, [CLI, 'init', ...args], { cwd: dir, env: cleanEnv(), encoding: 'utf8' });
  try {
    const first = init();
    assert.equal(first.status, 0, first.stderr);
    for (const f of ['schema/events.yml', 'schema/sessions.yml', 'schema/README.md', 'cube.js', '.env.example']) {
      assert.equal(await readFile(join(dir, f), 'utf8'), await readFile(join(ROOT, f), 'utf8'), f);
      assert.match(first.stdout, new RegExp(`created\\s+${f.replace('.', '\\.')}`));
    }

    const mine = '// my own cube.js\nmodule.exports = {};\n';
    await writeFile(join(dir, 'cube.js'), mine);
    const second = init();
    assert.equal(second.status, 0, second.stderr);
    assert.match(second.stdout, /kept yours\s+cube\.js \(differs from the shipped one; webcube init --force overwrites it\)/);
    assert.match(second.stdout, /unchanged\s+schema\/events\.yml/);
    assert.doesNotMatch(second.stdout, /created/);
    assert.equal(await readFile(join(dir, 'cube.js'), 'utf8'), mine, 'not overwritten');

    const forced = init('--force');
    assert.match(forced.stdout, /overwrote\s+cube\.js/);
    assert.equal(await readFile(join(dir, 'cube.js'), 'utf8'), await readFile(join(ROOT, 'cube.js'), 'utf8'));

    const bad = init('--overwrite');
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /unknown option --overwrite/);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a readiness failure is logged once with its cause, and /readyz carries it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-notready-'));
  const cli = runCli(['server'], dir, cleanEnv({
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_DEV_MODE: 'true', CUBEJS_SCHEMA_PATH: 'my-model', WEBCUBE_DATA_DIR: join(dir, 'data'),
  }));
  try {
    const [, url] = await cli.waitFor(/listening on (http:\/\/\S+)/);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${url}/readyz`);
      assert.equal(res.status, 500);
      const body = await res.json() as { health: string; reason: string };
      assert.equal(body.health, 'DOWN');
      assert.match(body.reason, /Schema path '.*my-model' does not exist \(CUBEJS_SCHEMA_PATH\)/);
    }
    const lines = cli.log().split('\n').filter((l) => l.includes('not ready'));
    assert.equal(lines.length, 1, cli.log());
    assert.match(lines[0]!, /^webcube server: not ready: Schema path '.*my-model' does not exist/);
    assert.doesNotMatch(cli.log(), /shipped web-analytics model/, 'an explicit CUBEJS_SCHEMA_PATH is not replaced');
  } finally {
    await cli.stop();
    await rm(dir, { recursive: true, force: true });
  }
});

test('`webcube start --help` prints its usage and starts nothing; an unknown option is refused', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'webcube-newcomer-help-'));
  try {
    const help = runCli(['start', '--help'], dir, cleanEnv());
    const exited = await new Promise<number | null>((r) => help.child.once('close', (code) => r(code)));
    assert.equal(exited, 0);
    assert.match(help.log(), /usage: webcube start \[--no-demo\] \[--no-dashboard\]/);
    const bogus = runCli(['start', '--bogus'], dir, cleanEnv());
    assert.equal(await new Promise<number | null>((r) => bogus.child.once('close', (code) => r(code))), 1);
    assert.match(bogus.log(), /unknown option --bogus/);
    assert.deepEqual(await readdir(dir), [], 'nothing was written where it was typed');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
