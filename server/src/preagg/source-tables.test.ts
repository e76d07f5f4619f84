// CTAS tables of original_sql pre-aggregations in Presto/Trino/Athena: the statements sent, and
// the cleanup of a failed build (which the build log never records, so nothing else would).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ctasTables } from './source-tables.ts';

function fakeDriver(fail: (sql: string) => boolean) {
  const sent: string[] = [];
  return {
    sent,
    async query(sql: string) {
      sent.push(sql);
      if (fail(sql)) throw new Error('engine went away');
      return sql.startsWith('SELECT count') ? [{ n: '42' }] : [];
    },
  };
}

test('CTAS in the schema, counted, read back as one relation', async () => {
  const d = fakeDriver(() => false);
  const t = ctasTables(d, 'trino', 'pre');
  assert.equal(await t.create('v_1', 'SELECT 1 AS x', []), 42);
  assert.deepEqual(d.sent, ['CREATE SCHEMA IF NOT EXISTS "pre"', 'CREATE TABLE "pre"."v_1" AS SELECT 1 AS x', 'SELECT count(*) AS n FROM "pre"."v_1"']);
  await t.create('v_2', 'SELECT 2 AS x', []);
  assert.equal(d.sent.filter((s) => s.startsWith('CREATE SCHEMA')).length, 1, 'the schema is created once');
  assert.equal(t.from(['v_1', 'v_2']), '(SELECT * FROM "pre"."v_1" UNION ALL SELECT * FROM "pre"."v_2")');
});

test('a build that fails after its CTAS drops the table it wrote', async () => {
  const d = fakeDriver((sql) => sql.startsWith('SELECT count'));
  await assert.rejects(ctasTables(d, 'presto', 'pre').create('v_1', 'SELECT 1 AS x', []), /engine went away/);
  assert.equal(d.sent.at(-1), 'DROP TABLE IF EXISTS "pre"."v_1"');
});
