import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadServerConfig } from './config.ts';

test('defaults follow Cube: port 4000, limits 10000/50000, 5 s continue wait, no jobs scope', () => {
  const c = loadServerConfig({});
  assert.equal(c.port, 4000);
  assert.equal(c.defaultLimit, 10000);
  assert.equal(c.maxLimit, 50000);
  assert.equal(c.continueWaitTimeoutMs, 5000);
  assert.equal(c.devMode, false);
  assert.equal(c.dbType, 'duckdb');
  assert.deepEqual([...c.defaultApiScopes], ['meta', 'data', 'graphql']);
  assert.ok(Object.isFrozen(c));
});

test('values are parsed and bad ones are rejected naming the variable', () => {
  const c = loadServerConfig({ PORT: '0', CUBEJS_DEV_MODE: 'true', CUBEJS_CONTINUE_WAIT_TIMEOUT: '0.5', CUBEJS_JWT_ALGS: 'HS256,RS256' });
  assert.equal(c.port, 0);
  assert.equal(c.devMode, true);
  assert.equal(c.refreshWorker, true, 'the refresh worker defaults on in dev mode, as in Cube');
  assert.equal(c.continueWaitTimeoutMs, 500);
  assert.deepEqual([...c.jwt.algorithms!], ['HS256', 'RS256']);
  assert.throws(() => loadServerConfig({ PORT: 'abc' }), /PORT/);
  assert.throws(() => loadServerConfig({ CUBEJS_DEV_MODE: 'maybe' }), /CUBEJS_DEV_MODE/);
  assert.throws(() => loadServerConfig({ CUBEJS_DB_TYPE: 'oracle' }), /CUBEJS_DB_TYPE/);
  assert.throws(() => loadServerConfig({ CUBEJS_DEFAULT_API_SCOPES: 'data,root' }), /CUBEJS_DEFAULT_API_SCOPES.*root/);
  assert.throws(() => loadServerConfig({ CUBEJS_CONTINUE_WAIT_TIMEOUT: '-1' }), /CUBEJS_CONTINUE_WAIT_TIMEOUT/);
  assert.throws(() => loadServerConfig({ CUBEJS_JWK_URL: 'ftp://x' }), /CUBEJS_JWK_URL/);
});

test('WEBCUBE_EVENTS_TABLE: atomic.events by default, a dotted name of 1 to 3 parts, nothing else', () => {
  assert.equal(loadServerConfig({}).eventsTable, 'atomic.events');
  for (const ok of ['events', 'atomic.events', 'hive.atomic.events', '_x.Y_1']) assert.equal(loadServerConfig({ WEBCUBE_EVENTS_TABLE: ok }).eventsTable, ok);
  for (const bad of ['a.b.c.d', 'atomic.', '.events', 'atomic events', 'x; DROP TABLE y', '"atomic"."events"', '1x.events']) {
    assert.throws(() => loadServerConfig({ WEBCUBE_EVENTS_TABLE: bad }), /^Error: WEBCUBE_EVENTS_TABLE must be a table name of 1 to 3 dotted parts/, bad);
  }
});
