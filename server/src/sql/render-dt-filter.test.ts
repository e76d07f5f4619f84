// FILTER_PARAMS…dtFilter: the pruning condition pinned per dialect, its day bounds (UTC days of
// the range's ends in the query's zone, -1 / +3, across month, year and leap-day edges), and
// the cases that prune nothing. Rows on real engines: tests/model-dt-pruning.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { UserError } from '../errors.ts';
import { normalizeQuery } from '../query/normalize-query.ts';
import { compileYamlModel } from '../query/test-model.ts';
import { compileQuery } from './compile-query.ts';
import { DIALECT_NAMES } from './get-dialect.ts';

const model = compileYamlModel({ 'ev.yml': `
cubes:
  - name: ev
    sql: >
      SELECT * FROM {EVENTS_TABLE} AS e
      WHERE {FILTER_PARAMS.ev.timestamp.dtFilter('e.dt')}
    measures:
      - {name: count, type: count}
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: timestamp, sql: derived_tstamp, type: time}
      - {name: app_id, sql: app_id, type: string}
      - {name: pruned_by_app, sql: "{FILTER_PARAMS.ev.app_id.dtFilter('dt')}", type: string}
` });

const compile = (query: Record<string, unknown>, dialect = 'duckdb') => compileQuery(model, normalizeQuery(query, model), { dialect });
const range = (dateRange: unknown, extra: Record<string, unknown> = {}) =>
  ({ measures: ['ev.count'], timeDimensions: [{ dimension: 'ev.timestamp', dateRange }], ...extra });
/** The rendered condition: the WHERE of the cube's sub-select. */
const condition = (sql: string) => /AS e WHERE (.*)\n\) AS/s.exec(sql)?.[1];

test('the condition is pinned for every dialect: dt as text between two bound days', () => {
  const pins: Record<string, string> = {
    duckdb: 'SELECT\n  count("ev".event_id) "ev__count"\nFROM (SELECT * FROM atomic.events AS e WHERE (CAST(e.dt AS VARCHAR) >= $1 AND CAST(e.dt AS VARCHAR) <= $2)\n) AS "ev"\nWHERE (CAST("ev".derived_tstamp AS TIMESTAMP) >= CAST($3 AS TIMESTAMP) AND CAST("ev".derived_tstamp AS TIMESTAMP) <= CAST($4 AS TIMESTAMP))\nORDER BY 1 DESC\nLIMIT 10000',
    mysql: 'SELECT\n  count(`ev`.event_id) `ev__count`\nFROM (SELECT * FROM atomic.events AS e WHERE (CAST(e.dt AS CHAR) >= ? AND CAST(e.dt AS CHAR) <= ?)\n) AS `ev`\nWHERE (`ev`.derived_tstamp >= CAST(? AS DATETIME(3)) AND `ev`.derived_tstamp <= CAST(? AS DATETIME(3)))\nORDER BY 1 DESC\nLIMIT 10000',
    presto: 'SELECT\n  count("ev".event_id) "ev__count"\nFROM (SELECT * FROM atomic.events AS e WHERE (CAST(e.dt AS VARCHAR) >= ? AND CAST(e.dt AS VARCHAR) <= ?)\n) AS "ev"\nWHERE (CAST("ev".derived_tstamp AS TIMESTAMP) >= CAST(from_iso8601_timestamp(concat(?, \'Z\')) AS TIMESTAMP) AND CAST("ev".derived_tstamp AS TIMESTAMP) <= CAST(from_iso8601_timestamp(concat(?, \'Z\')) AS TIMESTAMP))\nORDER BY 1 DESC\nLIMIT 10000',
  };
  pins.trino = pins.athena = pins.presto!;
  for (const dialect of DIALECT_NAMES) {
    const c = compile(range(['2024-03-10', '2024-03-12']), dialect);
    assert.equal(c.sql, pins[dialect], dialect);
    assert.deepEqual(c.params, ['2024-03-09', '2024-03-15', '2024-03-10T00:00:00.000', '2024-03-12T23:59:59.999'], dialect);
  }
});

test('the days are the UTC days of the range in the query zone, one before and three after', () => {
  const days = (dateRange: unknown, timezone = 'UTC') => compile(range(dateRange, { timezone })).params.slice(0, 2);
  assert.deepEqual(days(['2024-03-10', '2024-03-12'], 'America/New_York'), ['2024-03-09', '2024-03-16'], 'the end, 23:59 in New York, is the 13th in UTC');
  assert.deepEqual(days(['2024-03-10', '2024-03-12'], 'Asia/Tokyo'), ['2024-03-08', '2024-03-15'], 'the start, midnight in Tokyo, is the 9th in UTC');
  assert.deepEqual(days(['2024-01-01', '2024-02-27']), ['2023-12-31', '2024-03-01'], 'across a year and a leap day');
  assert.deepEqual(days(['2023-02-26', '2023-02-26T12:00:00']), ['2023-02-25', '2023-03-01']);
});

test('a range open towards year 9999 (a lambda tail) keeps every day from its start: the bound stays a 4-digit year', () => {
  const days = compile(range(['2026-12-07T20:51:00.000', '9999-12-31T23:59:59.999'])).params.slice(0, 2);
  assert.deepEqual(days, ['2026-12-06', '9999-12-31']);
  // The bound compares as text: every real day lies between them.
  assert.ok('2026-12-07' >= days[0]! && '2026-12-07' <= days[1]!);
});

test('filters that bound both ends prune, AND-ed; one-sided, excluding or absent filters prune nothing', () => {
  const both = compile(range(['2024-03-10', '2024-03-12'], { filters: [{ member: 'ev.timestamp', operator: 'inDateRange', values: ['2024-03-11', '2024-03-20'] }] }));
  assert.equal(condition(both.sql), '(CAST(e.dt AS VARCHAR) >= $1 AND CAST(e.dt AS VARCHAR) <= $2 AND CAST(e.dt AS VARCHAR) >= $3 AND CAST(e.dt AS VARCHAR) <= $4)');
  assert.deepEqual(both.params.slice(0, 4), ['2024-03-10', '2024-03-23', '2024-03-09', '2024-03-15']);
  const onTheDate = compile({ measures: ['ev.count'], filters: [{ member: 'ev.timestamp', operator: 'onTheDate', values: ['2024-03-10'] }] });
  assert.deepEqual(onTheDate.params.slice(0, 2), ['2024-03-09', '2024-03-13']);
  for (const [operator, values] of [['afterDate', ['2024-03-10']], ['beforeOrOnDate', ['2024-03-10']], ['notInDateRange', ['2024-03-10', '2024-03-12']], ['set', []]] as const) {
    const c = compile({ measures: ['ev.count'], filters: [{ member: 'ev.timestamp', operator, values }] });
    assert.equal(condition(c.sql), '1 = 1', operator);
  }
  assert.equal(condition(compile({ measures: ['ev.count'] }).sql), '1 = 1');
  // Inside an OR the range does not hold for every row: nothing to prune on.
  const or = compile({ measures: ['ev.count'], filters: [{ or: [{ member: 'ev.timestamp', operator: 'inDateRange', values: ['2024-03-10', '2024-03-12'] }, { member: 'ev.app_id', operator: 'equals', values: ['a'] }] }] });
  assert.equal(condition(or.sql), '1 = 1');
});

test('dtFilter on a member that is not a time dimension is a user error', () => {
  assert.throws(() => compile({ dimensions: ['ev.pruned_by_app'] }), (e: unknown) => e instanceof UserError && /ev.app_id.dtFilter\(\): 'ev.app_id' is not a time dimension/.test((e as Error).message));
});
