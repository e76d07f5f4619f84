// End-to-end dev mode and serving: requests without a token are admitted (Cube's dev mode), the
// dev-token endpoint hands the dashboard a working token, bad tokens are still refused, errors
// carry stacks only here; the built dashboard is served at / with an SPA fallback; data
// blending (an array of queries) works through the official client.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import cube from '@cubejs-client/core';
import { countBy, startFixture, type Fixture } from './api-fixture.ts';

let fx: Fixture;
before(async () => {
  fx = await startFixture({ CUBEJS_DEV_MODE: 'true', CUBEJS_REFRESH_WORKER: 'false', CUBEJS_API_SECRET: '' });
});
after(async () => { await fx?.close(); });

describe('dev mode', () => {
  test('a request without a token is answered', async () => {
    const q = encodeURIComponent(JSON.stringify({ measures: ['events.count'] }));
    const res = await fetch(`${fx.apiUrl}/load?query=${q}`);
    assert.equal(res.status, 200);
    const body = await res.json() as { data: Record<string, string>[] };
    assert.equal(Number(body.data[0]!['events.count']), fx.rows.length);
  });

  test('the dev token works with the official client; a stale token is ignored', async () => {
    const res = await fetch(`${fx.apiUrl}/dev-token`);
    assert.equal(res.status, 200);
    const { token } = await res.json() as { token: string };
    const rs = await cube(token, { apiUrl: fx.apiUrl }).load({ measures: ['events.count'], dimensions: ['events.event'] });
    assert.deepEqual(new Map(rs.tablePivot().map((r) => [r['events.event'], Number(r['events.count'])])), countBy(fx.rows, (r) => r.event));
    // As in Cube's dev mode, a token that does not verify is ignored rather than refused.
    const stale = await fetch(`${fx.apiUrl}/meta`, { headers: { Authorization: await fx.token() } });
    assert.equal(stale.status, 200);
  });

  test('errors carry a stack in dev mode only', async () => {
    const q = encodeURIComponent(JSON.stringify({ measures: ['events.nope'] }));
    const res = await fetch(`${fx.apiUrl}/load?query=${q}`);
    assert.equal(res.status, 400);
    const body = await res.json() as { error: string; stack?: string; type?: string };
    assert.equal(body.type, 'UserError');
    assert.equal(typeof body.stack, 'string');
  });

  test('data blending: an array of queries → blendingQuery with time.<granularity> keys', async () => {
    const api = cube('', { apiUrl: fx.apiUrl });
    const dateRange: [string, string] = ['2024-01-01', '2024-01-05'];
    const rs = await api.load([
      { measures: ['events.count'], timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange }], filters: [{ member: 'events.event', operator: 'equals', values: ['page_view'] }] },
      { measures: ['events.users'], timeDimensions: [{ dimension: 'events.time', granularity: 'day', dateRange }] },
    ]);
    const raw = rs.serialize().loadResponse;
    assert.equal(raw.queryType, 'blendingQuery');
    const first = raw.results[0]!.data as Record<string, string>[];
    const views = countBy(fx.rows.filter((r) => r.event === 'page_view' && r.collector_tstamp.slice(0, 10) <= '2024-01-05'), (r) => `${r.collector_tstamp.slice(0, 10)}T00:00:00.000`);
    assert.deepEqual(new Map(first.map((r) => [r['time.day'], Number(r['events.count'])])), views);
  });
});

describe('dashboard serving', () => {
  test('/ serves index.html, client routes fall back to it, API 404s stay JSON', async () => {
    const dist = join(fx.dir, 'dist');
    await mkdir(join(dist, 'assets'), { recursive: true });
    await writeFile(join(dist, 'index.html'), '<!doctype html><title>webcube</title>');
    await writeFile(join(dist, 'assets', 'app.js'), 'console.log(1)');
    const { loadServerConfig } = await import('../server/src/config.ts');
    const { startServer } = await import('../server/src/api/server-command.ts');
    const server = await startServer(loadServerConfig({
      PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_DEV_MODE: 'true', CUBEJS_REFRESH_WORKER: 'false',
      CUBEJS_SCHEMA_PATH: new URL('./fixtures/api-schema/', import.meta.url).pathname, WEBCUBE_DATA_DIR: fx.dir,
      WEBCUBE_DASHBOARD_DIR: dist, WEBCUBE_CONFIG_FILE: join(fx.dir, 'none.js'),
    }));
    try {
      const root = await fetch(`${server.url}/`);
      assert.equal(root.status, 200);
      assert.match(await root.text(), /<title>webcube<\/title>/);
      const deep = await fetch(`${server.url}/sites/site-a/pages`, { headers: { Accept: 'text/html' } });
      assert.equal(deep.status, 200);
      assert.match(await deep.text(), /webcube/);
      const asset = await fetch(`${server.url}/assets/app.js`);
      assert.equal(asset.status, 200);
      assert.match(asset.headers.get('content-type') ?? '', /javascript/);
      assert.match(asset.headers.get('cache-control') ?? '', /immutable/);
      assert.equal(root.headers.get('cache-control'), 'no-cache');
      const missingAsset = await fetch(`${server.url}/assets/nope.js`);
      assert.equal(missingAsset.status, 404);
      const api404 = await fetch(`${server.url}/cubejs-api/v1/nope`);
      assert.equal(api404.status, 404);
      assert.equal(typeof ((await api404.json()) as { error: string }).error, 'string');
    } finally {
      await server.close();
    }
  });
});

describe('dev mode hot reload', () => {
  test('a broken model file turns every request into a 400 naming file and line; fixing it recovers', async () => {
    const schema = join(fx.dir, 'schema-live');
    await mkdir(schema, { recursive: true });
    await copyFile(new URL('./fixtures/api-schema/events.yml', import.meta.url), join(schema, 'events.yml'));
    const { loadServerConfig } = await import('../server/src/config.ts');
    const { startServer } = await import('../server/src/api/server-command.ts');
    const server = await startServer(loadServerConfig({
      PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_DEV_MODE: 'true', CUBEJS_REFRESH_WORKER: 'false',
      CUBEJS_SCHEMA_PATH: schema, WEBCUBE_DATA_DIR: fx.dir, WEBCUBE_CONFIG_FILE: join(fx.dir, 'none.js'),
    }));
    const meta = async () => {
      const res = await fetch(`${server.url}/cubejs-api/v1/meta`);
      return { status: res.status, body: await res.json() as { error?: string; cubes?: { name: string; measures: { name: string }[] }[] } };
    };
    const until = async (ok: (r: Awaited<ReturnType<typeof meta>>) => boolean) => {
      let r = await meta();
      for (let i = 0; i < 100 && !ok(r); i++) { await new Promise((w) => setTimeout(w, 50)); r = await meta(); }
      return r;
    };
    try {
      assert.equal((await meta()).status, 200);
      await writeFile(join(schema, 'broken.yml'), 'cubes:\n  - name: broken\n    sql_table: t\n    measures:\n      - name: c\n        type: nonsense\n');
      const broken = await until((r) => r.status === 400);
      assert.equal(broken.status, 400);
      assert.match(String(broken.body.error), /^Compile errors:/);
      assert.match(String(broken.body.error), /broken\.yml/);
      await writeFile(join(schema, 'broken.yml'), 'cubes:\n  - name: fixed\n    sql_table: atomic.events\n    measures:\n      - name: c\n        type: count\n');
      const fixed = await until((r) => r.status === 200 && Boolean(r.body.cubes?.some((c) => c.name === 'fixed')));
      assert.ok(fixed.body.cubes?.some((c) => c.name === 'fixed' && c.measures.some((m) => m.name === 'fixed.c')));
    } finally {
      await server.close();
    }
  });
});
