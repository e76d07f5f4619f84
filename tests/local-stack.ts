// A collector and an API server on one fresh data dir, as `webcube start` runs them, for tests that
// send events with a tracker and read them back through the API (and the tracker's truth).
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { SignJWT } from 'jose';
import cube, { type CubeApi } from '@cubejs-client/core';
import { loadCollectorConfig, startCollector, type RunningCollector } from '@webcube/collector';
import { loadServerConfig, startServer, type RunningServer } from '@webcube/server';

export const SHIPPED_SCHEMA = resolve(import.meta.dirname, '..', 'schema');

export interface LocalStack {
  readonly dir: string;
  readonly collector: RunningCollector;
  readonly server: RunningServer;
  /** A signed token with an empty security context. */
  readonly token: string;
  readonly api: CubeApi;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  /** Temp dir name prefix. */
  readonly name: string;
  readonly secret: string;
  /** The model's directory, or a function making one inside the data dir; the shipped schema by default. */
  readonly schema?: string | ((dir: string) => Promise<string>);
  /** Server settings on top of the defaults (no refresh worker: the test decides when to build). */
  readonly serverEnv?: Readonly<Record<string, string>>;
}

export async function startLocalStack(o: LocalStackOptions): Promise<LocalStack> {
  const dir = await mkdtemp(join(tmpdir(), `webcube-${o.name}-`));
  const collector = await startCollector(loadCollectorConfig({
    COLLECTOR_HOST: '127.0.0.1', COLLECTOR_PORT: '0', WEBCUBE_DATA_DIR: dir, COLLECTOR_GEOIP_DB: 'none',
    COLLECTOR_DISK_MIN_FREE_BYTES: '0',
  }));
  const schema = typeof o.schema === 'function' ? await o.schema(dir) : (o.schema ?? SHIPPED_SCHEMA);
  const server = await startServer(loadServerConfig({
    PORT: '0', WEBCUBE_HOST: '127.0.0.1', CUBEJS_API_SECRET: o.secret, CUBEJS_SCHEMA_PATH: schema,
    WEBCUBE_DATA_DIR: dir, WEBCUBE_CONFIG_FILE: join(dir, 'no-cube.js'), CUBEJS_CACHE_TTL: '1', CUBEJS_LOG_LEVEL: 'error',
    CUBEJS_REFRESH_WORKER: 'false', CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs',
    ...o.serverEnv,
  }), { options: {} });
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(o.secret));
  return {
    dir, collector, server, token, api: cube(token, { apiUrl: `${server.url}/cubejs-api/v1` }),
    async close() {
      await server.close();
      await collector.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Builds every pre-aggregation through Cube's jobs API and waits until all are done. */
export async function buildAllPreAggregations(stack: Pick<LocalStack, 'server' | 'token'>): Promise<void> {
  const call = async (body: unknown) => {
    const r = await fetch(`${stack.server.url}/cubejs-api/v1/pre-aggregations/jobs`, {
      method: 'POST', headers: { Authorization: stack.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(r.status, 200);
    return r.json();
  };
  const tokens = await call({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } }) as string[];
  for (;;) {
    const statuses = (await call({ action: 'get', tokens }) as { status: string }[]).map((s) => s.status);
    assert.ok(!statuses.some((s) => s.startsWith('failure')), statuses.join(', '));
    if (statuses.every((s) => s === 'done')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}
