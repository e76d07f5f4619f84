// Pre-aggregations built by PrestoDB and Trino from the collector's Parquet (hive.<schema>.events),
// stored in DuckDB and in MySQL: partitions by time, incremental refresh and refresh_key SQL run
// on the engine, lambda rollups reading rows collected after the build from the engine,
// original_sql written by the engine as CTAS tables in its Hive catalog (rollups built from them,
// replaced and dropped on rebuild), and HyperLogLog sketches the engine hashes. Every answer is
// checked against the truth computed from the generated rows, and across the two engines.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { harness, type Harness } from './preagg-fixture.ts';
import { againstTruth, APPROX_TOLERANCE, byMember } from './preagg-query-gen.ts';
import { sentEvents, truth, type SentEvent } from './preagg-truth.ts';
import { ENGINE_NAMES } from './engines.ts';
import { normalizeQuery } from '../server/src/query/normalize-query.ts';
import { compileQuery } from '../server/src/sql/compile-query.ts';
import { runQuery } from '../server/src/preagg/run-query.ts';
import { parseTableName } from '../server/src/preagg/naming.ts';
import type { PreAggregations } from '../server/src/preagg/pre-aggregations.ts';
import { HLL_M } from '../server/src/sql/hll-estimate.ts';

const HOUR = 3600_000;
const DAY = 24 * HOUR;

const PV = (preAggs: string) => `
cubes:
  - name: pv
    sql_table: atomic.events
    measures:
      - {name: count, type: count}
      - {name: revenue, sql: tr_total, type: sum}
      - {name: approx_users, sql: domain_userid, type: count_distinct_approx}
    dimensions:
      - {name: id, sql: event_id, type: string, primary_key: true}
      - {name: country, sql: geo_country, type: string}
      - {name: ts, sql: collector_tstamp, type: time}
    pre_aggregations:
${preAggs}`;

// keyed comes first: it serves the count by day, which hourly could serve too. Its build range
// is SQL run on the engine (the shipped schema's spelling), a day either side of the data.
const INCREMENTAL_YAML = PV(`
      - name: keyed
        measures: [CUBE.count]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: month
        refresh_key: {sql: "SELECT count(*) FROM atomic.events"}
        build_range_start: {sql: "SELECT min(collector_tstamp) - INTERVAL '1' DAY FROM atomic.events"}
        build_range_end: {sql: "SELECT max(collector_tstamp) + INTERVAL '1' DAY FROM atomic.events"}
      - name: hourly
        measures: [CUBE.count, CUBE.revenue]
        dimensions: [CUBE.country]
        time_dimension: CUBE.ts
        granularity: hour
        partition_granularity: week
        refresh_key: {every: 1 hour, incremental: true, update_window: 10 day}
`);

const LAMBDA_YAML = PV(`
      - name: live
        measures: [CUBE.count, CUBE.revenue]
        dimensions: [CUBE.country]
        time_dimension: CUBE.ts
        granularity: hour
        partition_granularity: day
        union_with_source_data: true
`);

const HLL_YAML = PV(`
      - name: daily
        measures: [CUBE.count, CUBE.approx_users]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: month
`);

const VISITS_ONLY_YAML = `
cubes:
  - name: visits
    sql: >
      SELECT domain_userid, geo_country, br_family, min(collector_tstamp) AS first_ts, count(*) AS events,
        sum(tr_total) AS revenue
      FROM atomic.events
      GROUP BY domain_userid, geo_country, br_family, CAST(collector_tstamp AS DATE)
    measures:
      - {name: count, type: count}
      - {name: events, sql: events, type: sum}
      - {name: revenue, sql: revenue, type: sum}
      - {name: browsers, sql: br_family, type: count_distinct}
    dimensions:
      - {name: country, sql: geo_country, type: string}
      - {name: ts, sql: first_ts, type: time}
    pre_aggregations:
      - name: visits_table
        type: original_sql
        time_dimension: CUBE.ts
        partition_granularity: week
      - name: by_day
        measures: [CUBE.count, CUBE.events, CUBE.revenue]
        time_dimension: CUBE.ts
        granularity: day
        partition_granularity: month
        use_original_sql_pre_aggregations: true
`;

interface Served { readonly used: string | null; readonly rows: Record<string, unknown>[]; readonly aliasToMember: Readonly<Record<string, string>> }

/** One query through a runtime, as the API runs it (rollup on the store, else the engine). */
async function ask(h: Harness, preAggs: PreAggregations, raw: Record<string, unknown>): Promise<Served> {
  const q = normalizeQuery({ timezone: 'UTC', ...raw }, h.model);
  const r = await runQuery(preAggs, h.model, q, { dialect: h.dialect, runSource: (sql, p) => h.source.query(sql, p) });
  return { used: r.usedPreAggregation, rows: r.rows, aliasToMember: r.compiled.aliasToMember };
}

function assertTruth(h: Harness, a: Served, expected: Record<string, unknown>[], label: string): void {
  const c = againstTruth(h.model, a.rows, a.aliasToMember, expected);
  assert.deepEqual(c.actual, c.expected, `${label} (served by ${a.used ?? 'the engine'})`);
}

/** Results recorded per engine for the cross-engine comparison. */
const recorded = new Map<string, Map<string, unknown>>();
const record = (engine: string, key: string, value: unknown) => (recorded.get(engine) ?? recorded.set(engine, new Map()).get(engine)!).set(key, value);

for (const engine of ENGINE_NAMES) {
  describe(`pre-aggregations built by ${engine}`, () => {
    test('partitions by week and month on both stores; incremental refresh rebuilds only the update window; refresh_key SQL runs on the engine', async (t) => {
      let now = Date.parse('2024-01-26T12:10:00Z');
      const h = await harness('duckdb', { rows: 1500, days: 24, yaml: INCREMENTAL_YAML, engine, now: () => now });
      t.after(() => h.close());
      const mysql = await h.withStore('mysql');
      const runtimes = [['duckdb', h.preAggs, h.store, h.schema], ['mysql', mysql.preAggs, mysql.store, mysql.schema]] as const;
      const starts = (bs: { preAggregation: string; partitionStart: string }[], pa: string) => bs.filter((b) => b.preAggregation === pa).map((b) => b.partitionStart).sort();
      const WEEKS = ['2024-01-01T00:00:00.000', '2024-01-08T00:00:00.000', '2024-01-15T00:00:00.000', '2024-01-22T00:00:00.000'];
      for (const [store, preAggs] of runtimes) {
        const first = await preAggs.refresh();
        assert.deepEqual(starts(first, 'pv.hourly'), WEEKS, `${store}: one hourly partition per week of data`);
        assert.deepEqual(starts(first, 'pv.keyed'), ['2023-12-01T00:00:00.000', '2024-01-01T00:00:00.000'], `${store}: monthly partitions over the build range SQL's days`);
        assert.deepEqual(await preAggs.refresh(), [], `${store}: nothing changed, nothing rebuilt`);
      }
      let events = await sentEvents(h.generator);
      const byWeek = { measures: ['pv.count', 'pv.revenue'], dimensions: ['pv.country'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] };
      const byDay = { measures: ['pv.count'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'day' }] };
      for (const [store, preAggs] of runtimes) {
        const week = await ask(h, preAggs, byWeek);
        assert.equal(week.used, 'pv.hourly');
        assertTruth(h, week, truth(byWeek, events), `${store}: counts and revenue by week and country`);
        record(engine, `${store} by week`, byMember(week.rows, week.aliasToMember));
      }

      // An hour later the `every` key changes, but only partitions inside the 10-day window are rebuilt.
      now += HOUR;
      for (const [store, preAggs, st, schema] of runtimes) {
        const second = await preAggs.refresh();
        assert.deepEqual(starts(second, 'pv.hourly'), WEEKS.slice(2), `${store}: weeks ending in the update window`);
        assert.deepEqual(starts(second, 'pv.keyed'), [], `${store}: the refresh_key SQL answered the same count`);
        const tables = (await st.listTables(schema)).filter((n) => n.startsWith('pv_hourly'));
        assert.deepEqual(tables.map((n) => parseTableName(n)?.partition).sort(), ['20240101', '20240108', '20240115', '20240122'],
          `${store}: one live table per partition after the old versions were dropped: ${tables.join(', ')}`);
      }

      // Late events for a frozen week and the open one: the refresh_key SQL sees them on the
      // engine; the frozen week keeps its last build (Cube's update_window), the others follow.
      await h.addEvents(`SELECT 'late' || i AS event_id, TIMESTAMP '2024-01-03 10:00:00' + to_hours(i) AS collector_tstamp,
        'DE' AS geo_country, CAST(10 AS DECIMAL(18, 2)) AS tr_total, 'late-user' AS domain_userid FROM range(3) t(i)
        UNION ALL SELECT 'late-open', TIMESTAMP '2024-01-23 09:00:00', 'DE', CAST(7.5 AS DECIMAL(18, 2)), 'late-user'`);
      const before = events;
      events = await sentEvents(h.generator);
      now += HOUR;
      for (const [store, preAggs] of runtimes) {
        const third = await preAggs.refresh();
        assert.deepEqual(starts(third, 'pv.keyed'), ['2023-12-01T00:00:00.000', '2024-01-01T00:00:00.000'], `${store}: the count changed, the keyed rollup is rebuilt`);
        assert.deepEqual(starts(third, 'pv.hourly'), WEEKS.slice(2), `${store}: frozen weeks are not rebuilt`);
        const day = await ask(h, preAggs, byDay);
        assert.equal(day.used, 'pv.keyed');
        assertTruth(h, day, truth(byDay, events), `${store}: the rebuilt keyed rollup holds the late events`);
        const week = await ask(h, preAggs, byWeek);
        assert.equal(week.used, 'pv.hourly');
        const frozen = (e: SentEvent) => e.ms < Date.parse('2024-01-15T00:00:00Z');
        assertTruth(h, week, truth(byWeek, [...before.filter(frozen), ...events.filter((e) => !frozen(e))]),
          `${store}: the frozen week as last built, the open weeks with the late event`);
      }
    });

    test('lambda: rows collected after the build are read from the engine, on both stores', async (t) => {
      // A fixed clock: the lambda boundary and the tail's age follow it, not the wall clock.
      let now = Date.parse('2024-03-05T10:30:00Z');
      const start = new Date(now - 3 * DAY).toISOString().replace('T', ' ').replace('Z', '');
      const h = await harness('duckdb', { rows: 1500, days: 3, start: `TIMESTAMP '${start}'`, yaml: LAMBDA_YAML, engine, now: () => now, lambdaLagMs: 0, tailTtlMs: 1000 });
      t.after(() => h.close());
      const mysql = await h.withStore('mysql');
      const q = { measures: ['pv.count', 'pv.revenue'], dimensions: ['pv.country'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'day', dateRange: ['2024-03-01', '2024-03-05'] }] };
      for (const [store, preAggs] of [['duckdb', h.preAggs], ['mysql', mysql.preAggs]] as const) {
        const built = await preAggs.refresh();
        assert.ok(built.length >= 3, `${store}: daily partitions up to the boundary: ${built.length}`);
        const a = await ask(h, preAggs, q);
        assert.equal(a.used, 'pv.live');
        assertTruth(h, a, truth(q, await sentEvents(h.generator)), `${store}: built partitions and the live tail`);
      }
      // "The collector's ack": new Parquet files the engine sees after a partition sync.
      await h.addEvents(`SELECT 'fresh-' || i AS event_id, TIMESTAMP '2024-03-05 10:30:00' + to_minutes(i) AS collector_tstamp,
        'ZZ' AS geo_country, CAST(12.5 AS DECIMAL(18, 2)) AS tr_total FROM range(2) t(i)`);
      now += 5000; // the tail is older than its TTL: the next query reloads it
      const events = await sentEvents(h.generator);
      for (const [store, preAggs] of [['duckdb', h.preAggs], ['mysql', mysql.preAggs]] as const) {
        const a = await ask(h, preAggs, q);
        assert.equal(a.used, 'pv.live', `${store}: still served by the lambda rollup`);
        assertTruth(h, a, truth(q, events), `${store}: the fresh rows are in the answer`);
        assert.ok(byMember(a.rows, a.aliasToMember).some((r) => r.includes('"ZZ"')), `${store}: the fresh country shows`);
        record(engine, `${store} lambda`, byMember(a.rows, a.aliasToMember));
      }
    });

    test('original_sql: CTAS tables in the Hive catalog, rollups built from them, replaced and dropped on rebuild', async (t) => {
      const h = await harness('duckdb', { rows: 1500, days: 20, yaml: VISITS_ONLY_YAML, originalSql: true, engine });
      t.after(() => h.close());
      const mysql = await h.withStore('mysql');
      const engineSchema = h.eventsTable.split('.')[1]!;
      const showTables = async () => (await h.engine!.run(`SHOW TABLES FROM hive.${engineSchema}`)).map(([n]) => String(n)).filter((n) => n !== 'events').sort();
      const seen: string[] = [];
      const query = h.source.query.bind(h.source);
      h.source.query = (sql, params, opts) => { seen.push(sql); return query(sql, params, opts); };

      const built = await h.preAggs.refresh();
      const ctas = built.filter((b) => b.preAggregation === 'visits.visits_table').map((b) => b.tableName).sort();
      assert.equal(ctas.length, 3, 'one table per week');
      assert.deepEqual(await showTables(), ctas, 'the engine holds exactly the built partitions');
      assert.equal(seen.filter((s) => /^CREATE TABLE /.test(s)).length, 3);
      const loads = seen.filter((s) => /visits__ts_day/.test(s));
      assert.ok(loads.length > 0, 'by_day was built');
      for (const sql of loads) {
        assert.match(sql, /visits_visits_table/, 'by_day reads the CTAS tables');
        assert.ok(!sql.includes(h.eventsTable), 'never the raw events');
      }
      await mysql.preAggs.refresh({ preAggregations: ['visits.by_day'] });

      const visitsTruth = (events: readonly SentEvent[]) => {
        const visits = new Map<string, { country: string | null; browser: string | null; first: number; events: number; cents: number | null }>();
        for (const e of events) {
          const k = JSON.stringify([e.user, e.country, e.browser, new Date(e.ms).toISOString().slice(0, 10)]);
          const v = visits.get(k);
          if (!v) visits.set(k, { country: e.country, browser: e.browser, first: e.ms, events: 1, cents: e.cents });
          else { v.first = Math.min(v.first, e.ms); v.events++; v.cents = e.cents === null ? v.cents : (v.cents ?? 0) + e.cents; }
        }
        return [...visits.values()];
      };
      const check = async (label: string) => {
        const visits = visitsTruth(await sentEvents(h.generator));
        const days = new Map<string, { n: number; events: number; cents: number }>();
        for (const v of visits) {
          const d = `${new Date(v.first).toISOString().slice(0, 10)}T00:00:00.000`;
          const x = days.get(d) ?? days.set(d, { n: 0, events: 0, cents: 0 }).get(d)!;
          x.n++; x.events += v.events; x.cents += v.cents ?? 0;
        }
        const dayTruth = [...days].map(([d, x]) => ({ 'visits.ts.day': d, 'visits.count': x.n, 'visits.events': x.events, 'visits.revenue': x.cents / 100 }));
        for (const [store, preAggs] of [['duckdb', h.preAggs], ['mysql', mysql.preAggs]] as const) {
          const a = await ask(h, preAggs, { measures: ['visits.count', 'visits.events', 'visits.revenue'], timeDimensions: [{ dimension: 'visits.ts', granularity: 'day' }] });
          assert.equal(a.used, 'visits.by_day', `${label}: ${store}`);
          assertTruth(h, a, dayTruth, `${label}: visits by day from the rollup on ${store}`);
        }
        const countries = new Map<string | null, Set<string | null>>();
        for (const v of visits) (countries.get(v.country) ?? countries.set(v.country, new Set()).get(v.country)!).add(v.browser);
        const browsersTruth = [...countries].map(([c, bs]) => ({ 'visits.country': c, 'visits.browsers': [...bs].filter((b) => b !== null).length }));
        const b = await ask(h, h.preAggs, { measures: ['visits.browsers'], dimensions: ['visits.country'] });
        assert.equal(b.used, 'visits.visits_table', `${label}: a distinct count no rollup holds reads the CTAS tables`);
        assertTruth(h, b, browsersTruth, `${label}: browsers by country from the CTAS tables`);
      };
      await check('first build');

      const rebuilt = await h.preAggs.refresh({ preAggregations: ['visits.visits_table'], force: true });
      const fresh = rebuilt.map((b) => b.tableName).sort();
      assert.equal(fresh.length, 3);
      assert.ok(fresh.every((n) => !ctas.includes(n)), 'new table versions');
      assert.deepEqual(await showTables(), fresh, 'the superseded CTAS tables were dropped from the engine');
      const stale = await h.preAggs.plan({ preAggregations: ['visits.by_day'] });
      assert.ok(stale.length >= 1 && stale.every((p) => p.plan.reason === 'original_sql rebuilt'), JSON.stringify(stale.map((p) => p.plan.reason)));
      await h.preAggs.refresh({ preAggregations: ['visits.by_day'] });
      await mysql.preAggs.refresh({ preAggregations: ['visits.by_day'] });
      await check('after the rebuild');
    });

    test('count_distinct_approx: the engine hashes the sketches; both stores merge them to the same estimate, within tolerance of the exact count', async (t) => {
      // ~12,000 distinct users: the total is in the HyperLogLog regime (> 2.5·2^p), days in linear counting.
      const h = await harness('duckdb', { rows: 60_000, days: 28, yaml: HLL_YAML, engine, batchSize: 5000 });
      t.after(() => h.close());
      const mysql = await h.withStore('mysql');
      await Promise.all([h.preAggs.refresh(), mysql.preAggs.refresh()]);
      const events = await sentEvents(h.generator);
      let estimate = '';
      for (const [label, q] of [
        ['total', { measures: ['pv.count', 'pv.approx_users'] }],
        ['by week', { measures: ['pv.count', 'pv.approx_users'], timeDimensions: [{ dimension: 'pv.ts', granularity: 'week' }] }],
      ] as const) {
        const [duck, my] = [await ask(h, h.preAggs, q), await ask(h, mysql.preAggs, q)];
        assert.equal(duck.used, 'pv.daily');
        assert.equal(my.used, 'pv.daily');
        assertTruth(h, duck, truth(q, events), `${label}: within ${(APPROX_TOLERANCE * 100).toFixed(1)} % of the exact count`);
        assert.deepEqual(byMember(my.rows, my.aliasToMember), byMember(duck.rows, duck.aliasToMember), `${label}: the same estimate on both stores`);
        record(engine, `hll ${label}`, byMember(duck.rows, duck.aliasToMember));
        if (label === 'total') estimate = byMember(duck.rows, duck.aliasToMember).join();
      }
      const exact = truth({ measures: ['pv.approx_users'] }, events)[0]!['pv.approx_users'] as number;
      assert.ok(exact > 2.5 * HLL_M, `${exact} distinct users exercise the HyperLogLog estimate`);
      // The engine's own approx_distinct (another HyperLogLog, standard error 2.3 %) when no rollup serves.
      const nq = normalizeQuery({ measures: ['pv.approx_users'], timezone: 'UTC' }, h.model);
      const plain = compileQuery(h.model, nq, { dialect: h.dialect });
      const own = Number(Object.values((await h.source.query(plain.sql, plain.params))[0]!)[0]);
      assert.ok(Math.abs(own - exact) <= 4 * 0.023 * exact, `${engine}'s approx_distinct ${own} vs exact ${exact}`);
      t.diagnostic(`exact ${exact}; merged sketches ${estimate}; ${engine}'s approx_distinct ${own}`);
    });
  });
}

describe('across engines', () => {
  test('PrestoDB and Trino give the same answers, sketch estimates included', () => {
    const [presto, trino] = [recorded.get('presto'), recorded.get('trino')];
    assert.ok(presto && trino, 'both engines answered');
    assert.deepEqual([...presto].sort(), [...trino].sort());
  });
});
