// loadDriverConfig: defaults, Cube variable names, named data sources, errors that name the variable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDriverConfig, parseDurationMs } from './driver-config.ts';

test('defaults to embedded DuckDB over ./data', () => {
  const c = loadDriverConfig({});
  assert.deepEqual(c, { type: 'duckdb', dataDir: './data', databasePath: ':memory:', maxPool: 8, queryTimeoutMs: 600_000, defineEvents: true });
  assert.ok(Object.isFrozen(c));
});

test("reads Cube's CUBEJS_DB_* for MySQL", () => {
  const c = loadDriverConfig({ CUBEJS_DB_TYPE: 'mysql', CUBEJS_DB_HOST: 'db', CUBEJS_DB_PORT: '3307', CUBEJS_DB_NAME: 'shop', CUBEJS_DB_USER: 'u', CUBEJS_DB_PASS: 'p', CUBEJS_DB_QUERY_TIMEOUT: '30s', CUBEJS_DB_MAX_POOL: '4' });
  assert.deepEqual(c, { type: 'mysql', host: 'db', port: 3307, database: 'shop', user: 'u', password: 'p', socketPath: undefined, ssl: false, maxPool: 4, queryTimeoutMs: 30_000 });
});

test('a named data source reads CUBEJS_DS_<NAME>_*', () => {
  const env = { CUBEJS_DB_TYPE: 'duckdb', CUBEJS_DS_WAREHOUSE_DB_TYPE: 'trino', CUBEJS_DS_WAREHOUSE_DB_HOST: 'trino.local', CUBEJS_DS_WAREHOUSE_DB_PRESTO_CATALOG: 'hive', CUBEJS_DS_WAREHOUSE_DB_SCHEMA: 'atomic' };
  assert.deepEqual(loadDriverConfig(env, 'warehouse'), { type: 'trino', host: 'trino.local', port: 8080, catalog: 'hive', schema: 'atomic', user: undefined, password: undefined, ssl: false, queryTimeoutMs: 600_000, eventsTable: undefined, partitionSyncMs: 5000 });
  assert.equal(loadDriverConfig(env, 'default').type, 'duckdb');
});

test('Athena reads the CUBEJS_AWS_* variables', () => {
  const c = loadDriverConfig({ CUBEJS_DB_TYPE: 'athena', CUBEJS_AWS_REGION: 'eu-west-1', CUBEJS_AWS_S3_OUTPUT_LOCATION: 's3://out/', CUBEJS_AWS_ATHENA_WORKGROUP: 'wg' });
  assert.equal(c.type, 'athena');
  assert.deepEqual([c.type === 'athena' && c.region, c.type === 'athena' && c.S3OutputLocation, c.type === 'athena' && c.workGroup], ['eu-west-1', 's3://out/', 'wg']);
});

test('bad values name the variable', () => {
  assert.throws(() => loadDriverConfig({ CUBEJS_DB_TYPE: 'oracle' }), /CUBEJS_DB_TYPE must be one of/);
  assert.throws(() => loadDriverConfig({ CUBEJS_DB_TYPE: 'mysql', CUBEJS_DB_PORT: 'abc' }), /CUBEJS_DB_PORT must be an integer/);
  assert.throws(() => loadDriverConfig({ CUBEJS_DB_QUERY_TIMEOUT: 'soon' }), /CUBEJS_DB_QUERY_TIMEOUT must be a duration/);
  assert.throws(() => loadDriverConfig({ CUBEJS_DS_X_DB_SSL: 'maybe', CUBEJS_DS_X_DB_TYPE: 'mysql' }, 'x'), /CUBEJS_DS_X_DB_SSL must be true or false/);
});

test('durations as Cube writes them', () => {
  assert.deepEqual(['600', '10m', '1h', '250ms', '1.5s'].map((v) => parseDurationMs(v, 'X')), [600_000, 600_000, 3_600_000, 250, 1500]);
});
