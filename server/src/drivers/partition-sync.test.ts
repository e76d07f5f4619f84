import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PartitionSyncingDriver, partitionSyncSql } from './partition-sync.ts';
import type { Driver } from './types.ts';

test('the sync procedure is called on the events table, in its catalog or the driver\'s', () => {
  assert.equal(partitionSyncSql('hive.atomic.events'), "CALL hive.system.sync_partition_metadata('atomic', 'events', 'FULL')");
  assert.equal(partitionSyncSql('web.events', 'lake'), "CALL lake.system.sync_partition_metadata('web', 'events', 'FULL')");
  assert.equal(partitionSyncSql('events', 'hive'), undefined);
  assert.equal(partitionSyncSql('atomic.events'), undefined);
});

test('a failing sync is logged once per cause, retried, and never fails queries', async () => {
  const calls: string[] = [];
  let fail = true;
  const inner: Driver = {
    type: 'trino', dialect: 'trino',
    query: async (sql) => { calls.push(sql); if (sql.startsWith('CALL') && fail) throw new Error('table is not partitioned'); return [{ n: 1 }]; },
    close: async () => {},
  };
  const lines: string[] = [];
  const driver = new PartitionSyncingDriver(inner, 'CALL x', { table: 'hive.a.events', intervalMs: 60_000, log: (l) => lines.push(l) });
  await driver.syncNow();
  await driver.syncNow();
  assert.deepEqual(await driver.query('SELECT 1', []), [{ n: 1 }]);
  fail = false;
  await driver.syncNow();
  await driver.close();
  assert.equal(lines.length, 2);
  assert.match(lines[0], /partition sync of hive\.a\.events failed .*table is not partitioned/);
  assert.match(lines[1], /works again/);
  assert.ok(calls.filter((c) => c === 'CALL x').length >= 3);
});
