// The API's driver on PrestoDB and Trino (Cube's driver behind ours) returns values in the one
// convention of drivers/types.ts, as the DuckDB and MariaDB drivers do: BIGINT and DECIMAL as
// exact strings, TIMESTAMP and DATE as `YYYY-MM-DDTHH:mm:ss.SSS` wall times whatever the JVM's
// zone, other numbers and booleans as such, NULL as null, and a VARCHAR that looks like a time
// left alone. Ordered results longer than one page keep their order (Cube's driver prepends
// each page to the rows before it).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ENGINE_NAMES, testEngine } from './engines.ts';
import type { Driver } from '../server/src/drivers/types.ts';
import { runPrestoStatement, type PrestoFamilyDriver } from '../server/src/drivers/presto-statement.ts';

const VALUES_SQL = `SELECT CAST(9007199254740993 AS BIGINT) AS big, CAST(-9007199254740993 AS BIGINT) AS negbig,
  count(*) AS n, CAST(12.30 AS DECIMAL(18,2)) AS dec, CAST(7 AS INTEGER) AS i, CAST(1.5 AS DOUBLE) AS dbl,
  true AS yes, false AS no, CAST(NULL AS VARCHAR) AS nothing, CAST(NULL AS BIGINT) AS no_big, CAST(NULL AS TIMESTAMP) AS no_ts,
  TIMESTAMP '2024-03-08 12:00:00.120' AS ts, TIMESTAMP '2018-11-04 00:30:00' AS sao_paulo_gap, DATE '2024-03-08' AS d,
  '2024-01-01 00:00:00' AS looks_like_time, 'it''s \\ 東京 🙂' AS text`;

// DuckDB's driver gives the same row, except that it drops the DECIMAL's trailing zero ('12.3').
const EXPECTED = {
  big: '9007199254740993', negbig: '-9007199254740993', n: '1', dec: '12.30', i: 7, dbl: 1.5,
  yes: true, no: false, nothing: null, no_big: null, no_ts: null,
  ts: '2024-03-08T12:00:00.120', sao_paulo_gap: '2018-11-04T00:30:00.000', d: '2024-03-08T00:00:00.000',
  looks_like_time: '2024-01-01 00:00:00', text: "it's \\ 東京 🙂",
};

for (const name of ENGINE_NAMES) {
  describe(`driver values on ${name}`, () => {
    let driver: Driver;
    before(async () => { driver = await (await testEngine(name)).driver('memory', 'default'); });
    after(async () => { await driver?.close(); });

    test('BIGINT/DECIMAL as exact strings, times as wall strings, booleans, nulls', async () => {
      assert.deepEqual(await driver.query(VALUES_SQL, []), [EXPECTED]);
    });

    test('bound values are inlined as literals of their type', async () => {
      const rows = await driver.query('SELECT ? AS s, ? AS n, ? AS b, ? AS nothing', ["it's ? \\", 42, true, null]);
      assert.deepEqual(rows, [{ s: "it's ? \\", n: 42, b: true, nothing: null }]);
    });

    if (name === 'presto') {
      test("PrestoDB's default legacy_timestamp is turned off for the driver's sessions", async () => {
        // The stack's server turns it off too; a stock PrestoDB server has it on, as forced here.
        const inner = (driver as unknown as { inner: PrestoFamilyDriver }).inner;
        const sql = `SELECT CAST(from_unixtime(to_unixtime(TIMESTAMP '2024-03-12 00:00:00'), 'Asia/Kolkata') AS TIMESTAMP) AS t`;
        assert.deepEqual(await runPrestoStatement(inner, sql, [], { session: 'legacy_timestamp=true' }), [{ t: '2024-03-12T00:00:00.000' }]);
        assert.deepEqual(await driver.query(sql, []), [{ t: '2024-03-12T05:30:00.000' }]);
      });
    }

    test('an ordered result longer than one page comes back in order', async () => {
      // Count the pages the engine sends, so the test shows it covers more than one.
      const client = (driver as unknown as { inner: { client: { execute: (o: { data?: (...a: unknown[]) => void }) => void } } }).inner.client;
      const execute = client.execute;
      let pages = 0;
      client.execute = (o) => execute.call(client, { ...o, data: (...a: unknown[]) => { pages++; o.data?.(...a); } });
      try {
        const rows = await driver.query(`SELECT a * 1000 + b AS x, lpad('', 100, 'y') AS pad
          FROM UNNEST(sequence(0, 29)) AS t(a) CROSS JOIN UNNEST(sequence(0, 999)) AS u(b) ORDER BY x DESC`, []);
        assert.ok(pages > 1, `${pages} page(s)`);
        assert.equal(rows.length, 30_000);
        assert.ok(rows.every((r, i) => r.x === String(29_999 - i)), 'rows out of order');
      } finally {
        client.execute = execute;
      }
    });
  });
}
