// Cube's Presto/Trino/Athena drivers: construction from our config and how they inline our ? parameters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { qmModel } from '../query/test-fixture.ts';
import { compileQuery } from '../sql/compile-query.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { createDriver, cubeJsDriver } from './create-driver.ts';
import { loadDriverConfig } from './driver-config.ts';

const model = qmModel();
const compiled = (dialect: string) => compileQuery(model, normalizeQuery({
  measures: ['orders.count'], filters: [{ member: 'orders.status', operator: 'equals', values: ["it's"] }],
  timeDimensions: [{ dimension: 'orders.created_at', dateRange: ['2024-01-01', '2024-01-31'] }],
}, model), { dialect });

for (const [type, dialect, env] of [
  ['prestodb', 'presto', { CUBEJS_DB_TYPE: 'prestodb', CUBEJS_DB_HOST: 'presto.invalid', CUBEJS_DB_PRESTO_CATALOG: 'hive' }],
  ['trino', 'trino', { CUBEJS_DB_TYPE: 'trino', CUBEJS_DB_HOST: 'trino.invalid', CUBEJS_DB_PRESTO_CATALOG: 'hive' }],
  ['athena', 'athena', { CUBEJS_DB_TYPE: 'athena', CUBEJS_AWS_REGION: 'us-east-1', CUBEJS_AWS_S3_OUTPUT_LOCATION: 's3://qm-out/' }],
] as const) {
  test(`${type}: Cube's driver is constructed and inlines our ? parameters safely`, async () => {
    const driver = await createDriver(type, loadDriverConfig(env));
    assert.equal(driver.type, type);
    assert.equal(driver.dialect, dialect);
    const c = compiled(dialect);
    assert.deepEqual(c.params, ["it's", '2024-01-01T00:00:00.000', '2024-01-31T23:59:59.999']);
    // The SQL Cube's driver would send: formatAnsi quotes strings and doubles quotes.
    const inner = (driver as unknown as { inner: { prepareQueryWithParams?: (s: string, v: unknown[]) => string } }).inner;
    const { applyParams } = await import('@cubejs-backend/athena-driver/dist/src/AthenaDriver.js') as unknown as { applyParams: (s: string, v: unknown[]) => string };
    const sent = inner.prepareQueryWithParams ? inner.prepareQueryWithParams(c.sql, c.params) : applyParams(c.sql, c.params);
    assert.match(sent, /"orders".status = 'it''s'/);
    // A time column is read through a cast (a string column declared as time); the engines drop it on a timestamp column.
    assert.match(sent, /CAST\("orders".created_at AS TIMESTAMP\) >= CAST\(from_iso8601_timestamp\(concat\('2024-01-01T00:00:00.000', 'Z'\)\) AS TIMESTAMP\)/);
    assert.ok(!sent.includes('?'));
    await driver.close();
  });
}

test('cubeJsDriver resolves the installed packages', () => {
  assert.equal(typeof cubeJsDriver('prestodb'), 'function');
  assert.equal(typeof cubeJsDriver('trino'), 'function');
});
