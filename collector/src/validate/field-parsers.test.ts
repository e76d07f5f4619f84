import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FieldError, decimal, flag, int, millis, money, size, uuid } from './field-parsers.ts';

test('valid values parse', () => {
  assert.equal(uuid('eid', 'A2F1C3D4-1111-4A4A-8888-123456789ABC'), 'a2f1c3d4-1111-4a4a-8888-123456789abc');
  assert.equal(int('vid', '42'), 42);
  assert.equal(millis('dtm', '1700000000000'), 1700000000000);
  assert.equal(decimal('se_va', '3.5'), 3.5);
  assert.equal(money('tr_tt', '19.999'), 20);
  assert.equal(flag('cookie', '1'), true);
  assert.deepEqual(size('res', '1920x1080'), [1920, 1080]);
});

test('bad values throw a FieldError naming the parameter', () => {
  assert.throws(() => uuid('sid', 'not-a-uuid'), (e: Error) => e instanceof FieldError && /sid must be a UUID/.test(e.message));
  assert.throws(() => int('vid', '4.2'), /vid must be an integer/);
  assert.throws(() => int('vid', '99999999999'), /vid must be an integer/);
  assert.throws(() => millis('dtm', '2024-01-01T00:00:00Z'), /dtm must be integer milliseconds/);
  assert.throws(() => millis('dtm', '999999999999999'), /dtm/, 'past year 9999');
  assert.throws(() => decimal('se_va', 'abc'), /se_va must be a number/);
  assert.throws(() => decimal('se_va', 'Infinity'), /se_va/);
  assert.throws(() => flag('cookie', 'yes'), /cookie must be 1 or 0/);
  assert.throws(() => size('res', '1920*1080'), /res must be WIDTHxHEIGHT/);
});
