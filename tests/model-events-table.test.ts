// The shipped schema/ names the events table only as {EVENTS_TABLE}: compiled with another name
// (WEBCUBE_EVENTS_TABLE=hive.atomic.events, for a Presto/Trino session outside the hive
// catalog) every query, refresh key and build range reads that table and no other, and the
// dt pruning renders in that engine's dialect. The default name is covered end to end by
// model-known-truth.test.ts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadModel } from '../server/src/model/index.ts';
import type { SqlTemplate } from '../server/src/model/types.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';

const schemaPath = new URL('../schema', import.meta.url).pathname;
/** `atomic.events` not preceded by `hive.`: the default name, which must not appear. */
const BARE = /(?<!hive\.)atomic\.events/;
const text = (t: SqlTemplate | undefined) => (t ?? []).map((p) => (typeof p === 'string' ? p : '')).join('');

test('with WEBCUBE_EVENTS_TABLE=hive.atomic.events the shipped schema reads only that table', async () => {
  const { model, errors } = await loadModel({ schemaPath, eventsTable: 'hive.atomic.events' });
  assert.deepEqual(errors, []);
  const dateRange = ['2024-03-10', '2024-03-12'];
  const queries = [
    { measures: ['events.count', 'events.sessions'], dimensions: ['events.source'], timeDimensions: [{ dimension: 'events.timestamp', dateRange }] },
    { measures: ['page_views.count', 'page_views.average_engagement_time'], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange }] },
    { measures: ['sessions.count', 'sessions.engaged_sessions'], timeDimensions: [{ dimension: 'sessions.start_time', dateRange }] },
    { measures: ['users.count'], timeDimensions: [{ dimension: 'users.first_seen', dateRange }] },
    { measures: ['retention.users'], timeDimensions: [{ dimension: 'retention.activity_day', dateRange }] },
  ];
  for (const query of queries) {
    const { sql } = compileQuery(model, normalizeQuery(query, model), { dialect: 'trino' });
    assert.match(sql, /hive\.atomic\.events/, query.measures[0]);
    assert.doesNotMatch(sql, BARE, query.measures[0]);
  }
  const pruned = compileQuery(model, normalizeQuery(queries[0]!, model), { dialect: 'trino' });
  assert.match(pruned.sql, /FROM hive\.atomic\.events AS e\s+WHERE \(CAST\(e\.dt AS VARCHAR\) >= \? AND CAST\(e\.dt AS VARCHAR\) <= \?\)/);
  assert.deepEqual(pruned.params.slice(0, 2), ['2024-03-09', '2024-03-15']);

  // Plain-SQL places (refresh keys, build ranges) get the name too: they run as written.
  const plain = [...model.cubes.values()].map((c) => text(c.refreshKey?.sql))
    .concat([...model.preAggregations.values()].flatMap((p) => [text(p.refreshKey?.sql), text(p.buildRangeStart?.sql), text(p.buildRangeEnd?.sql)]))
    .filter((s) => /events/.test(s));
  assert.ok(plain.length >= 10, `build ranges read the events table (${plain.length})`);
  for (const sql of plain) assert.ok(sql.includes('hive.atomic.events') && !BARE.test(sql), sql);
});
