// The Fastify mount of the funnel API: submit answers 202 with a job id, polling returns the
// steps, listing shows finished jobs, and errors keep their status (400, 403, 404).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Scenario } from '../../../collector/src/demo/scenario.ts';
import { hitToParams } from '../../../collector/src/demo/hit-to-params.ts';
import { writeEventsParquet } from '../../../collector/src/demo/write-parquet.ts';
import { createEnrichContext, processTrackerEvent } from '../../../collector/src/process-event.ts';
import { DuckDbDriver } from '../drivers/duckdb-driver.ts';
import { WebcubeError } from '../errors.ts';
import { createFunnelRoutes } from './funnel-routes.ts';
import { registerFunnelRoutes } from './register-funnel-routes.ts';

let dir: string;
let driver: DuckDbDriver;
let app: FastifyInstance;
const routes = createFunnelRoutes();

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'funnel-http-'));
  const sc = new Scenario({ seed: 'http', appId: 'shop' });
  for (let i = 0; i < 4; i++) {
    const s = sc.user().session(Date.UTC(2026, 9, 14, 10 + i));
    s.view('/pricing');
    if (i < 2) s.event('sign_up', {}, 30_000);
  }
  const ctx = createEnrichContext({ geoip: 'off' });
  await writeEventsParquet(dir, sc.hits.map((h) => processTrackerEvent(hitToParams(h), { collectorTstamp: h.time, ip: h.ip, useragent: h.ua }, ctx).event!));
  driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
  app = Fastify();
  app.setErrorHandler((error, _req, reply) => {
    const status = error instanceof WebcubeError ? error.status : 500;
    void reply.code(status).send({ error: error instanceof Error ? error.message : String(error) });
  });
  registerFunnelRoutes(app, {
    basePath: '/cubejs-api', routes,
    context: async (req) => ({ driver, dialect: 'duckdb', securityContext: req.headers.authorization === 'blog' ? { app_id: 'blog' } : {} }),
  });
  await app.ready();
});
after(async () => {
  await app.close();
  await driver.close();
  await rm(dir, { recursive: true, force: true });
});

test('submit → poll → list over HTTP', async () => {
  const body = { steps: [{ page: '/pricing' }, { event: 'sign_up' }], window: '1 hour', dateRange: ['2026-10-14', '2026-10-14'] };
  const submitted = await app.inject({ method: 'POST', url: '/cubejs-api/v1/funnels', payload: body });
  assert.equal(submitted.statusCode, 202);
  const { id, status } = submitted.json();
  assert.ok(['queued', 'running'].includes(status));
  await routes.idle();
  const polled = (await app.inject({ method: 'GET', url: `/cubejs-api/v1/funnels/${id}` })).json();
  assert.equal(polled.status, 'done');
  assert.deepEqual(polled.steps.map((s: { completed: number }) => s.completed), [4, 2]);
  const listed = (await app.inject({ method: 'GET', url: '/cubejs-api/v1/funnels' })).json();
  assert.ok(listed.funnels.some((f: { id: string }) => f.id === id));
});

test('errors keep their status', async () => {
  assert.equal((await app.inject({ method: 'POST', url: '/cubejs-api/v1/funnels', payload: { steps: [] } })).statusCode, 400);
  assert.equal((await app.inject({ method: 'GET', url: '/cubejs-api/v1/funnels/nope' })).statusCode, 404);
  const forbidden = await app.inject({ method: 'POST', url: '/cubejs-api/v1/funnels', headers: { authorization: 'blog' }, payload: { steps: [{ page: '/' }, { page: '/x' }], dateRange: 'last 7 days', appId: 'shop' } });
  assert.equal(forbidden.statusCode, 403);
});
