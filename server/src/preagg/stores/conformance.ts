// The shared suite every pre-aggregation store runs (DuckDB and MySQL alike): round-trips of
// every column type, atomic table swaps, failed loads leaving nothing behind, the build log, and
// the dialect's time truncation, all against the real engine.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { PreAggStore, StoreColumn } from './types.ts';
import { loadTable } from '../load-table.ts';
import { BuildLog } from '../build-log.ts';

const COLS: readonly StoreColumn[] = [
  { name: 'd', type: 'string' }, { name: 'n', type: 'integer' }, { name: 'x', type: 'float' },
  { name: 't', type: 'timestamp' }, { name: 'b', type: 'boolean' },
];

export function storeConformance(name: string, open: () => Promise<PreAggStore>): void {
  const schema = `preagg_conf_${randomBytes(4).toString('hex')}`;
  let store: PreAggStore;
  const q = (t: string) => `${store.dialect.quote(schema)}.${store.dialect.quote(t)}`;

  test(`${name} store conformance`, async (t) => {
    store = await open();
    t.after(async () => {
      if (store.type === 'mysql') await store.query(`DROP DATABASE IF EXISTS ${store.dialect.quote(schema)}`);
      else await store.query(`DROP SCHEMA IF EXISTS ${store.dialect.quote(schema)} CASCADE`);
      await store.close();
    });
    await store.ensureSchema(schema);
    await store.ensureSchema(schema); // idempotent

    await t.test('round-trips every column type, nulls and naive timestamps', async () => {
      const rows = [
        ['a', 42, 1.5, '2024-03-10T02:30:00.123', true],
        ['ü ☃', 9007199254740991, -0.25, '1999-12-31T23:59:59.999', false],
        [null, null, null, null, null],
      ];
      const n = await loadTable(store, { schema, table: 'rt', columns: COLS, rows: [rows] });
      assert.equal(n, 3);
      const got = await store.query(`SELECT d, n, x, t, b FROM ${q('rt')}`);
      const norm = got.map((r) => [r.d, r.n, r.x, r.t, r.b === null ? null : Boolean(r.b)]);
      const key = (r: unknown[]) => String(r[1]);
      norm.sort((a, b) => key(a).localeCompare(key(b)));
      const expected = [...rows].sort((a, b) => key(a).localeCompare(key(b)));
      assert.deepEqual(norm, expected);
    });

    await t.test('binds parameters, including timestamp parameters', async () => {
      const p = store.dialect;
      const got = await store.query(
        `SELECT d FROM ${q('rt')} WHERE t >= ${p.timestampParam(0)} AND d = ${p.param(1)}`, ['2024-03-10T00:00:00.000', 'a']);
      assert.deepEqual(got.map((r) => r.d), ['a']);
    });

    await t.test('truncates naive timestamps to every granularity', async () => {
      const cases: [string, string][] = [
        ['second', '2024-03-10T02:30:00.000'], ['minute', '2024-03-10T02:30:00.000'], ['hour', '2024-03-10T02:00:00.000'],
        ['day', '2024-03-10T00:00:00.000'], ['week', '2024-03-04T00:00:00.000'], ['month', '2024-03-01T00:00:00.000'],
        ['quarter', '2024-01-01T00:00:00.000'], ['year', '2024-01-01T00:00:00.000'],
      ];
      for (const [g, want] of cases) {
        const [r] = await store.query(`SELECT ${store.dialect.truncate('t', g)} AS v FROM ${q('rt')} WHERE d = 'a'`);
        assert.equal(r!.v, want, g);
      }
    });

    await t.test('decimal measure columns re-sum without float noise', async () => {
      const cols: StoreColumn[] = [{ name: 'v', type: 'decimal' }];
      await loadTable(store, { schema, table: 'dec', columns: cols, rows: [[[0.1], [0.2], [1234.56], [null]]] });
      const [r] = await store.query(`SELECT sum(v) AS s, max(v) AS m FROM ${q('dec')}`);
      assert.equal(Number(r!.s), 1234.86);
      assert.equal(Number(r!.m), 1234.56);
    });

    await t.test('case-insensitive like', async () => {
      const got = await store.query(`SELECT d FROM ${q('rt')} WHERE ${store.dialect.ilike('d', store.dialect.param(0), false)}`, ['A']);
      assert.deepEqual(got.map((r) => r.d), ['a']);
    });

    await t.test('a failed load leaves no table behind and keeps the old version readable', async () => {
      const before = await store.listTables(schema);
      async function* failing() {
        yield [['z', 1, 1, '2024-01-01T00:00:00.000', true]];
        throw new Error('source went away');
      }
      await assert.rejects(loadTable(store, { schema, table: 'rt2', columns: COLS, rows: failing() }), /source went away/);
      assert.deepEqual(await store.listTables(schema), before);
      assert.equal((await store.query(`SELECT count(*) AS c FROM ${q('rt')}`))[0]!.c, 3);
    });

    await t.test('indexes are created and loads are batched', async () => {
      const rows = Array.from({ length: 25 }, (_, i) => [`k${i % 5}`, i, i / 2, '2024-01-01T00:00:00.000', i % 2 === 0]);
      const batchesSeen: number[] = [];
      const n = await loadTable(store, {
        schema, table: 'ix', columns: COLS, rows: [rows.slice(0, 10), rows.slice(10, 20), rows.slice(20)],
        indexes: [{ name: 'by_d', columns: ['d', 't'] }], log: (m) => batchesSeen.push(Number(/(\d+) rows/.exec(m)![1])),
      });
      assert.equal(n, 25);
      assert.deepEqual(batchesSeen, [10, 20, 25]);
      const got = await store.query(`SELECT d, count(*) AS c, sum(n) AS s FROM ${q('ix')} GROUP BY d ORDER BY d`);
      assert.deepEqual(got.map((r) => [r.d, Number(r.c), Number(r.s)]),
        [['k0', 5, 50], ['k1', 5, 55], ['k2', 5, 60], ['k3', 5, 65], ['k4', 5, 70]]);
    });

    await t.test('build log records, supersedes and drops versions', async () => {
      const log = new BuildLog(store, schema);
      const base = {
        preAggregation: 'c.p', timezone: 'UTC', partitionStart: '2024-01-01T00:00:00.000', partitionEnd: '2024-01-01T23:59:59.999',
        structureVersion: 'aaaaaaaa', contentVersion: 'bbbbbbbb', refreshKey: '1', dataUntil: '2024-01-02T00:00:00.000', rowCount: 3, supersededAt: 0,
      };
      await log.record({ ...base, tableName: 'rt', builtAt: 1000 });
      await log.record({ ...base, tableName: 'ix', builtAt: 2000 });
      assert.deepEqual((await log.list('c.p')).map((r) => r.tableName), ['ix', 'rt']);
      await log.supersede(['rt'], 5000);
      assert.deepEqual((await log.list()).map((r) => r.tableName), ['ix']);
      assert.deepEqual(await log.dropSuperseded(4000), []);
      assert.deepEqual(await log.dropSuperseded(6000), ['rt']);
      assert.ok(!(await store.listTables(schema)).includes('rt'));
    });
  });
}
