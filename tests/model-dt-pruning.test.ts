// dt partition pruning with FILTER_PARAMS…dtFilter, on real engines: DuckDB over Parquet in the
// collector's Hive layout (dt typed DATE by DuckDB), and MariaDB over a table whose name comes
// from {EVENTS_TABLE} (compiled with another name, as WEBCUBE_EVENTS_TABLE would set it).
// Every fixture row's own time is inside the queried range, so the same cube without the
// dtFilter line counts them all: a row that is missing was left out by its dt partition alone.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeEventsParquet } from '../collector/src/demo/write-parquet.ts';
import { compileModelFromSources } from '../server/src/model/index.ts';
import type { CompiledModel } from '../server/src/model/types.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { DuckDbDriver } from '../server/src/drivers/duckdb-driver.ts';
import { MySqlDriver } from '../server/src/drivers/mysql-driver.ts';
import type { Driver } from '../server/src/drivers/types.ts';

const cube = (name: string, where: string) => `
  - name: ${name}
    sql: >
      SELECT * FROM {EVENTS_TABLE} AS e
      WHERE ${where}
    measures: [{name: count, type: count}]
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: timestamp, sql: derived_tstamp, type: time}
`;
const SOURCE = `cubes:${cube('ev', "{FILTER_PARAMS.ev.timestamp.dtFilter('e.dt')}")}${cube('unpruned', '1 = 1')}`;

// [id, the event's own time (derived_tstamp), when the collector got it (collector_tstamp → dt)]
const ROWS = [
  ['in_range', '2024-03-10 10:00:00', '2024-03-10 10:00:00'],
  ['day_before', '2024-03-10 00:30:00', '2024-03-09 23:59:00'], // device clock ahead: dt 03-09, kept (-1 day)
  ['two_days_before', '2024-03-10 01:00:00', '2024-03-08 12:00:00'], // dt 03-08: pruned
  ['three_days_late', '2024-03-12 20:00:00', '2024-03-15 09:00:00'], // dt 03-15: kept (+3 days)
  ['four_days_late', '2024-03-12 21:00:00', '2024-03-16 09:00:00'], // dt 03-16: pruned in UTC
  ['next_day', '2024-03-13 01:00:00', '2024-03-13 01:00:00'], // outside a UTC range by its own time
] as const;

type Engine = { driver: Driver; model: CompiledModel; dialect: string };
const RANGE = ['2024-03-10', '2024-03-12'];

async function ids(e: Engine, cubeName: string, query: Record<string, unknown>): Promise<string[]> {
  const q = normalizeQuery({ dimensions: [`${cubeName}.id`], order: { [`${cubeName}.id`]: 'asc' }, ...query }, e.model);
  const c = compileQuery(e.model, q, { dialect: e.dialect });
  const rows = await e.driver.query(c.sql, c.params);
  return rows.map((r) => String(Object.values(r)[0]));
}
const inRange = (timezone = 'UTC') => ({ timezone, timeDimensions: [{ dimension: 'ev.timestamp', dateRange: RANGE }] });
const unprunedRange = (timezone = 'UTC') => ({ timezone, timeDimensions: [{ dimension: 'unpruned.timestamp', dateRange: RANGE }] });

function pruningCases(engine: () => Engine): void {
  const run = (cubeName: string, query: Record<string, unknown>) => ids(engine(), cubeName, query);
  test('a UTC range reads dt 03-09 … 03-15: the rows in dt 03-08 and 03-16 are not counted', async () => {
    assert.deepEqual(await run('unpruned', unprunedRange()), ['day_before', 'four_days_late', 'in_range', 'three_days_late', 'two_days_before'],
      'without dtFilter all five count: they are in range by their own time');
    assert.deepEqual(await run('ev', inRange()), ['day_before', 'in_range', 'three_days_late']);
  });
  test('in New York the range ends on 03-13 UTC, so dt 03-16 is read', async () => {
    const got = await run('ev', inRange('America/New_York'));
    assert.deepEqual(got, ['four_days_late', 'in_range', 'next_day', 'three_days_late']);
    assert.deepEqual(got, await run('unpruned', unprunedRange('America/New_York')));
  });
  test('a one-sided filter or none prunes nothing', async () => {
    assert.deepEqual(await run('ev', { filters: [{ member: 'ev.timestamp', operator: 'afterDate', values: ['2024-03-10'] }] }), ['four_days_late', 'next_day', 'three_days_late']);
    assert.deepEqual(await run('ev', {}), ROWS.map((r) => r[0]).sort());
  });
}

describe('dtFilter on DuckDB (Hive-partitioned Parquet, dt DATE)', () => {
  let dir: string;
  let engine: Engine | undefined;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'webcube-dt-'));
    const ms = (s: string) => Date.parse(`${s.replace(' ', 'T')}Z`);
    await writeEventsParquet(dir, ROWS.map(([id, ts, collector]) => ({ event_id: id, app_id: 'site', event: 'page_view', derived_tstamp: ms(ts), collector_tstamp: ms(collector) })));
    const driver = await DuckDbDriver.create({ type: 'duckdb', dataDir: dir, databasePath: ':memory:', maxPool: 1, queryTimeoutMs: 60_000, defineEvents: true });
    const { model, errors } = compileModelFromSources([{ path: 'ev.yml', content: SOURCE }]);
    assert.deepEqual(errors, []);
    engine = { driver, model, dialect: 'duckdb' };
    const days = await driver.query('SELECT DISTINCT CAST(dt AS VARCHAR) AS dt, typeof(dt) AS type FROM atomic.events ORDER BY 1', []);
    assert.deepEqual(days.map((d) => `${d.dt} ${d.type}`), ['2024-03-08 DATE', '2024-03-09 DATE', '2024-03-10 DATE', '2024-03-13 DATE', '2024-03-15 DATE', '2024-03-16 DATE']);
  });
  after(async () => {
    await engine?.driver.close();
    await rm(dir, { recursive: true, force: true });
  });
  pruningCases(() => engine!);
});

describe('dtFilter on MariaDB ({EVENTS_TABLE} = test.<own table>, dt DATE)', () => {
  const table = `dt_pruning_${process.pid}_${Date.now()}`;
  let engine: Engine | undefined;
  before(async () => {
    const driver = new MySqlDriver({ type: 'mysql', host: '127.0.0.1', port: 3306, user: 'root', database: 'test', ssl: false, maxPool: 2, queryTimeoutMs: 30_000 });
    await driver.query(`CREATE TABLE ${table} (event_id VARCHAR(36), derived_tstamp DATETIME(3), collector_tstamp DATETIME(3), dt DATE)`, []);
    for (const [id, ts, collector] of ROWS) {
      await driver.query(`INSERT INTO ${table} VALUES (?, ?, ?, ?)`, [id, ts, collector, collector.slice(0, 10)]);
    }
    const { model, errors } = compileModelFromSources([{ path: 'ev.yml', content: SOURCE }], { eventsTable: `test.${table}` });
    assert.deepEqual(errors, []);
    engine = { driver, model, dialect: 'mysql' };
  });
  after(async () => {
    await engine?.driver.query(`DROP TABLE IF EXISTS ${table}`, []);
    await engine?.driver.close();
  });
  pruningCases(() => engine!);
});
