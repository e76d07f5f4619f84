// Join planning: root choice, join order, multiplied cubes, join hints, unreachable cubes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../errors.ts';
import { compileYamlModel } from '../query/test-model.ts';
import { planJoins } from './plan-joins.ts';

const cube = (name: string, joins: string[] = []) => `
  - name: ${name}
    sql_table: t_${name}
    joins: [${joins.join(', ')}]
    dimensions: [{name: id, sql: id, type: number, primary_key: true}]
    measures: [{name: count, type: count}]`;
const model = compileYamlModel({ 'graph.yml': `cubes:${[
  cube('line_items', ['{name: orders, relationship: many_to_one, sql: "{CUBE}.order_id = {orders.id}"}', '{name: products, relationship: many_to_one, sql: "{CUBE}.product_id = {products.id}"}']),
  cube('orders', ['{name: users, relationship: many_to_one, sql: "{CUBE}.user_id = {users.id}"}']),
  cube('users', ['{name: orders, relationship: one_to_many, sql: "{CUBE}.id = {orders}.user_id"}']),
  cube('products'),
  cube('island'),
].join('')}` });

test('picks the root that reaches every cube over the fewest joins, joining in hint order (Cube)', () => {
  const plan = planJoins(model, ['users', 'products', 'line_items']);
  assert.equal(plan.root, 'line_items');
  assert.deepEqual(plan.joins.map((j) => `${j.from}->${j.to}`), ['line_items->orders', 'orders->users', 'line_items->products']);
});

test('belongsTo multiplies the target cube; hasMany multiplies the source', () => {
  assert.deepEqual([...planJoins(model, ['line_items', 'orders']).multiplied], ['orders']);
  const plan = planJoins(model, ['users', 'orders'], [], 'users');
  assert.deepEqual(plan.joins.map((j) => `${j.from}->${j.to}`), ['users->orders']);
  assert.deepEqual([...plan.multiplied], ['users']);
});

test('join hints force their path', () => {
  const plan = planJoins(model, ['orders', 'users'], [['users', 'orders']]);
  assert.equal(plan.root, 'users');
  assert.deepEqual(plan.joins.map((j) => j.relationship), ['hasMany']);
});

test('unreachable cubes fail with Cube wording', () => {
  assert.throws(() => planJoins(model, ['orders', 'island']), (e: unknown) => e instanceof UserError && e.message === "Can't find join path to join 'orders', 'island'");
  assert.deepEqual(planJoins(model, ['island']).joins, []);
});
