// Pre-aggregation config: Cube's variable names and defaults, errors naming the bad variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadPreAggConfig } from './config.ts';

test('defaults: DuckDB file under the data dir, prod schema, no scheduler outside dev mode', () => {
  const c = loadPreAggConfig({});
  assert.equal(c.extDbType, 'duckdb');
  assert.equal(c.duckdbPath, 'data/preaggs.duckdb');
  assert.equal(c.originalSqlLocation, './data/pre_aggregations/prod_pre_aggregations');
  assert.equal(loadPreAggConfig({ WEBCUBE_DATA_DIR: 's3://bucket/web/' }).originalSqlLocation, 's3://bucket/web/pre_aggregations/prod_pre_aggregations');
  assert.equal(c.schema, 'prod_pre_aggregations');
  assert.equal(c.refreshTimerSeconds, 0);
  assert.deepEqual(c.refreshTimezones, ['UTC']);
  assert.ok(Object.isFrozen(c));
});

test('dev mode and the refresh worker turn the 30 s scheduler on, like Cube', () => {
  const dev = loadPreAggConfig({ CUBEJS_DEV_MODE: 'true' });
  assert.equal(dev.schema, 'dev_pre_aggregations');
  assert.equal(dev.refreshTimerSeconds, 30);
  assert.equal(loadPreAggConfig({ CUBEJS_REFRESH_WORKER: 'true', CUBEJS_SCHEDULED_REFRESH_TIMER: '5' }).refreshTimerSeconds, 5);
  assert.equal(loadPreAggConfig({ CUBEJS_SCHEDULED_REFRESH_TIMER: 'true' }).refreshTimerSeconds, 30);
});

test('MySQL store settings use CUBEJS_EXT_DB_*', () => {
  const c = loadPreAggConfig({ CUBEJS_EXT_DB_TYPE: 'mysql', CUBEJS_EXT_DB_HOST: 'db', CUBEJS_EXT_DB_PORT: '3307', CUBEJS_EXT_DB_USER: 'u', CUBEJS_EXT_DB_PASS: 'p', CUBEJS_EXT_DB_NAME: 'n' });
  assert.deepEqual({ ...c.mysql }, { host: 'db', port: 3307, user: 'u', password: 'p', database: 'n' });
});

test('bad values name their variable', () => {
  assert.throws(() => loadPreAggConfig({ CUBEJS_EXT_DB_TYPE: 'cubestore' }), /CUBEJS_EXT_DB_TYPE/);
  assert.throws(() => loadPreAggConfig({ CUBEJS_EXT_DB_PORT: 'x' }), /CUBEJS_EXT_DB_PORT/);
  assert.throws(() => loadPreAggConfig({ CUBEJS_SCHEDULED_REFRESH_TIMEZONES: 'Mars/Olympus' }), /CUBEJS_SCHEDULED_REFRESH_TIMEZONES/);
  assert.throws(() => loadPreAggConfig({ CUBEJS_PRE_AGGREGATIONS_SCHEMA: 'a;drop' }), /CUBEJS_PRE_AGGREGATIONS_SCHEMA/);
  assert.throws(() => loadPreAggConfig({ CUBEJS_REFRESH_WORKER: 'maybe' }), /CUBEJS_REFRESH_WORKER/);
});
