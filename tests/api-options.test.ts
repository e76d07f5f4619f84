// End-to-end: cube.js options given the Cube way change the server's behaviour: a custom
// checkAuth, contextToAppId + repositoryFactory (one model per tenant), basePath, and
// orchestratorOptions.continueWaitTimeout.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { CubeOptions } from '../server/src/api/cube-options.ts';
import { SCHEMA_DIR, countBy, startFixture, type Fixture } from './api-fixture.ts';

const base = await readFile(new URL('events.yml', `file://${SCHEMA_DIR}`), 'utf8');

const options: CubeOptions = {
  basePath: '/analytics',
  // API keys instead of JWTs: the key names the tenant.
  checkAuth: (req) => {
    const key = req.headers['x-api-key'];
    if (key !== 'key-a' && key !== 'key-b') throw new Error('Unknown API key');
    req.securityContext = { tenant: key === 'key-a' ? 'a' : 'b' };
  },
  contextToAppId: ({ securityContext }) => `app_${String(securityContext.tenant)}`,
  // Tenant b gets an extra measure in its own model.
  repositoryFactory: ({ securityContext }) => ({
    dataSchemaFiles: async () => [{
      fileName: 'events.yml',
      content: securityContext.tenant === 'b'
        ? base.replace('      - name: value_sum\n', '      - name: max_value\n        type: max\n        sql: se_value\n      - name: value_sum\n')
        : base,
    }],
  }),
  queryRewrite: (query, { securityContext }) => {
    const filters = (query.filters ?? []) as unknown[];
    filters.push({ member: 'events.app_id', operator: 'equals', values: [securityContext.tenant === 'a' ? 'site-a' : 'site-b'] });
    return { ...query, filters };
  },
  orchestratorOptions: { continueWaitTimeout: 30 },
};

let fx: Fixture;
before(async () => { fx = await startFixture({}, options); });
after(async () => { await fx?.close(); });

const call = async (path: string, key?: string) => {
  const res = await fetch(`${fx.server.url}/analytics/v1${path}`, { headers: key ? { 'x-api-key': key } : {} });
  return { status: res.status, body: await res.json() as Record<string, unknown> };
};

describe('cube.js options', () => {
  test('custom checkAuth: unknown keys are refused with its message', async () => {
    const r = await call('/meta', 'nope');
    assert.equal(r.status, 403);
    assert.equal(r.body.error, 'Unknown API key');
    assert.equal((await call('/meta')).status, 403);
  });

  test('basePath moves the API; the default path is gone', async () => {
    const res = await fetch(`${fx.server.url}/cubejs-api/v1/meta`, { headers: { 'x-api-key': 'key-a' } });
    assert.equal(res.status, 404);
  });

  test('contextToAppId + repositoryFactory: each tenant sees its own model', async () => {
    const measures = async (key: string) => ((await call('/meta', key)).body.cubes as { name: string; measures: { name: string }[] }[])
      .find((c) => c.name === 'events')!.measures.map((m) => m.name);
    assert.ok(!(await measures('key-a')).includes('events.max_value'));
    assert.ok((await measures('key-b')).includes('events.max_value'));
  });

  test('queryRewrite from the options restricts rows per tenant', async () => {
    const q = encodeURIComponent(JSON.stringify({ measures: ['events.count'] }));
    const a = await call(`/load?query=${q}`, 'key-a');
    assert.equal(a.status, 200);
    assert.equal(Number((a.body.data as Record<string, string>[])[0]!['events.count']), countBy(fx.rows, (r) => r.app_id).get('site-a'));
    const qb = encodeURIComponent(JSON.stringify({ measures: ['events.max_value'] }));
    const b = await call(`/load?query=${qb}`, 'key-b');
    assert.equal(Number((b.body.data as Record<string, string>[])[0]!['events.max_value']), Math.max(...fx.rows.filter((r) => r.app_id === 'site-b').map((r) => r.se_value)));
  });
});

describe('query cache and refresh keys', () => {
  test('a cube refresh_key sql: cached results last until the key value changes', async () => {
    const { mkdir, writeFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const { generateRows, writeParquet } = await import('./api-fixture.ts');
    const schema = join(fx.dir, 'schema-rk');
    await mkdir(schema, { recursive: true });
    await writeFile(join(schema, 'events.yml'), base.replace('    sql_table: atomic.events\n', '    sql_table: atomic.events\n    refresh_key:\n      sql: SELECT count(*) FROM atomic.events\n      every: 1 second\n'));
    const own = await startFixture({ CUBEJS_SCHEMA_PATH: schema });
    try {
      const q = encodeURIComponent(JSON.stringify({ measures: ['events.count'] }));
      const load = async () => {
        const res = await fetch(`${own.apiUrl}/load?query=${q}`, { headers: { Authorization: await own.token() } });
        const body = await res.json() as { data: Record<string, string>[]; refreshKeyValues: unknown[] };
        return Number(body.data[0]!['events.count']);
      };
      assert.equal(await load(), own.rows.length);
      // More events arrive in a new partition directory, as the collector would write them.
      const extra = generateRows(17).map((r, i) => ({ ...r, event_id: `x-${i}`, collector_tstamp: '2024-02-01 10:00:00' }));
      const more = join(own.dir, 'more');
      await mkdir(more);
      await writeParquet(more, extra);
      const { rename } = await import('node:fs/promises');
      await rename(join(more, 'events', 'dt=2024-02-01'), join(own.dir, 'events', 'dt=2024-02-01'));
      // Past the key's 1 s check interval the new key value invalidates the cached result.
      await new Promise((r) => setTimeout(r, 1100));
      assert.equal(await load(), own.rows.length + 17);
    } finally {
      await own.close();
    }
  });
});
