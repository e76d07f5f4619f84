// dataSourceOf: a query runs on its cubes' data source; mixing sources is a clear UserError.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../errors.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileYamlModel } from '../query/test-model.ts';
import { dataSourceOf } from './data-source.ts';

const model = compileYamlModel({ 'ds.yml': `
cubes:
  - name: local_events
    sql_table: atomic.events
    measures: [{name: count, type: count}]
    dimensions: [{name: app_id, sql: app_id, type: string}]
  - name: warehouse_orders
    sql_table: shop.orders
    data_source: warehouse
    measures: [{name: count, type: count}]
    dimensions: [{name: status, sql: status, type: string}]
` });

test('the data source of the cubes a query touches', () => {
  assert.equal(dataSourceOf(model, normalizeQuery({ measures: ['local_events.count'] }, model)), 'default');
  assert.equal(dataSourceOf(model, normalizeQuery({ measures: ['warehouse_orders.count'], filters: [{ member: 'warehouse_orders.status', operator: 'set' }] }, model)), 'warehouse');
});

test('mixing data sources is refused', () => {
  const q = normalizeQuery({ measures: ['local_events.count', 'warehouse_orders.count'] }, model);
  assert.throws(() => dataSourceOf(model, q), (e: unknown) => e instanceof UserError && /mixes data sources/.test(e.message));
});
