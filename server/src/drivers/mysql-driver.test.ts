// MySQL driver against the real MariaDB: binding, value convention, UTC session, KILL on time-out, named-zone check.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MySqlDriver } from './mysql-driver.ts';
import { QueryCancelled } from './types.ts';

let driver: MySqlDriver;
before(() => { driver = new MySqlDriver({ type: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', ssl: false, maxPool: 2, queryTimeoutMs: 60_000 }); });
after(async () => { await driver.query('DROP TABLE IF EXISTS qm_driver_t', []); await driver.close(); });

test('binds parameters and returns dates in Cube format, big numbers as strings', async () => {
  await driver.query('DROP TABLE IF EXISTS qm_driver_t', []);
  await driver.query('CREATE TABLE qm_driver_t (id BIGINT, at DATETIME(3), d DATE, amount DECIMAL(10,2), name VARCHAR(20))', []);
  await driver.query('INSERT INTO qm_driver_t VALUES (?, ?, ?, ?, ?), (?, ?, ?, ?, ?)', [1, '2024-01-02T03:04:05.678', '2024-01-02', '9.50', "O'Brien", 2, null, null, null, null]);
  const rows = await driver.query('SELECT id, at, d, amount, name, COUNT(*) OVER () AS n FROM qm_driver_t WHERE name = ? OR id = ? ORDER BY id', ["O'Brien", 2]);
  assert.deepEqual(rows, [
    { id: '1', at: '2024-01-02T03:04:05.678', d: '2024-01-02T00:00:00.000', amount: '9.50', name: "O'Brien", n: '2' },
    { id: '2', at: null, d: null, amount: null, name: null, n: '2' },
  ]);
});

test('the session runs in UTC so NOW-free conversions do not shift', async () => {
  const [row] = await driver.query("SELECT @@session.time_zone AS tz, CAST('2024-03-10 12:00:00' AS DATETIME) AS t", []);
  assert.deepEqual(row, { tz: '+00:00', t: '2024-03-10T12:00:00.000' });
});

test('a query past its time-out is killed and reported as cancelled', async () => {
  await assert.rejects(driver.query('SELECT SLEEP(5) AS s', [], { timeoutMs: 100 }), QueryCancelled);
  assert.deepEqual(await driver.query('SELECT 1 AS one', []), [{ one: 1 }]);
});

test('named time zones work once the server has its time-zone tables (checked once)', async () => {
  const [probe] = await driver.query("SELECT CONVERT_TZ('2000-01-01 00:00:00', '+00:00', 'Europe/Paris') AS t", []);
  if (probe.t === null) {
    await assert.rejects(driver.query("SELECT CONVERT_TZ(NOW(), '+00:00', 'America/New_York') AS t", []), /no time-zone tables/);
  } else {
    const [row] = await driver.query("SELECT CONVERT_TZ('2024-07-01 12:00:00', '+00:00', 'America/New_York') AS t", []);
    assert.equal(row.t, '2024-07-01T08:00:00.000');
  }
});
