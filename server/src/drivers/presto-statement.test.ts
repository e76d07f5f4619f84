// presto-statement: pages in engine order, values by column type, Cube's inlining, the session
// and cancel hooks handed to presto-client, and engine errors as Errors. A fake client stands in
// for the engine (tests/engine-driver-values.test.ts runs the real ones).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPrestoStatement, type PrestoClientLike, type PrestoFamilyDriver } from './presto-statement.ts';

type ExecuteOptions = Parameters<PrestoClientLike['execute']>[0];

function fakeDriver(respond: (o: ExecuteOptions) => void): PrestoFamilyDriver & { sent: ExecuteOptions[] } {
  const sent: ExecuteOptions[] = [];
  return {
    sent,
    config: { schema: 'scratch' },
    prepareQueryWithParams: (sql, values) => `${sql} -- ${JSON.stringify(values)}`,
    client: { execute: (o) => { sent.push(o); setImmediate(() => respond(o)); } },
  };
}

test('pages stay in order and values follow the column types', async () => {
  const columns = [{ name: 'n', type: 'bigint' }, { name: 'ts', type: 'timestamp(3)' }, { name: 'd', type: 'date' }, { name: 's', type: 'varchar' }, { name: 'x', type: 'decimal(18,2)' }];
  const driver = fakeDriver((o) => {
    o.data?.(null, [[1, '2024-03-08 12:00:00.120', '2024-03-08', '2024-01-01 00:00:00', '1.50']], columns);
    o.data?.(null, [['9007199254740993', null, null, null, null]], columns);
    o.success?.();
  });
  const rows = await runPrestoStatement(driver, 'SELECT ?', ["it's"], { session: 'offset_clause_enabled=true' });
  assert.deepEqual(rows, [
    { n: '1', ts: '2024-03-08T12:00:00.120', d: '2024-03-08T00:00:00.000', s: '2024-01-01 00:00:00', x: '1.50' },
    { n: '9007199254740993', ts: null, d: null, s: null, x: null },
  ]);
  assert.equal(driver.sent[0].query, 'SELECT ? -- ["it\'s"]');
  assert.equal(driver.sent[0].schema, 'scratch');
  assert.equal(driver.sent[0].session, 'offset_clause_enabled=true');
});

test('the cancel hook reaches presto-client, and engine errors reject', async () => {
  let cancelled = false;
  const driver = fakeDriver((o) => o.error?.({ message: o.cancel?.() ? 'query fetch canceled by operation' : 'not cancelled' }));
  const run = runPrestoStatement(driver, 'SELECT 1', [], { cancelled: () => cancelled });
  cancelled = true;
  await assert.rejects(run, /query fetch canceled by operation/);
});
