// /v1/meta compatibility: our toMeta() output is compared field for field with what Cube's own
// schema compiler (CubeToMetaTransformer, installed with Cube's drivers) produces for the same files.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readFixture } from './fixtures/read-fixture.ts';
import { compileModelFromSources, type ModelSource } from './load-model.ts';
import { cubeCompilerAvailable, cubeMeta } from './testing/cube-oracle.ts';
import { toMeta } from './to-meta.ts';
import { titleize } from './titles.ts';

const skip = cubeCompilerAvailable ? false : '@cubejs-backend/schema-compiler is not installed';

async function compareWithCube(files: readonly ModelSource[]): Promise<void> {
  const ours = compileModelFromSources(files);
  assert.deepEqual(ours.errors, []);
  const cube = await cubeMeta(files);
  assert.equal(cube.error, undefined);
  const mine = JSON.parse(JSON.stringify(toMeta(ours.model))) as Record<string, unknown>[];
  assert.deepEqual(mine.map((c) => c.name), cube.cubes.map((c) => c.name));
  for (let i = 0; i < mine.length; i++) assert.deepEqual(mine[i], cube.cubes[i], `meta of ${String(mine[i].name)}`);
}

const FEATURES = `cubes:
  - name: page_views
    sql_table: atomic.events
    title: Page views
    description: One row per page view
    meta: {category: web}
    joins:
      - {name: sessions, relationship: many_to_one, sql: "{CUBE}.domain_sessionid = {sessions.session_id}"}
    measures:
      - {name: count, type: count, description: All views, meta: {kpi: true} }
      - {name: bounce_rate, type: number, sql: "1.0 * {sessions.bounces} / NULLIF({count}, 0)", format: percent}
      - {name: revenue, type: sum, sql: tr_total, format: currency, currency: eur}
      - {name: avg_time, type: avg, sql: engaged_time, format: number_2}
      - {name: d3_custom, type: max, sql: x, format: ".3s"}
      - {name: last_seen, type: max, sql: derived_tstamp}
      - {name: last_view, type: time, sql: "MAX({CUBE}.derived_tstamp)"}
      - {name: internal_total, type: sum, sql: y, public: false}
      - {name: legacy_hidden, type: count, shown: false}
      - {name: approx_users, type: count_distinct_approx, sql: domain_userid, title: Visitors (approx)}
      - {name: running, type: count, rolling_window: {trailing: unbounded} }
    dimensions:
      - {name: event_id, sql: event_id, type: string, primary_key: true}
      - {name: user_id, sql: user_id, type: string}
      - {name: page_url, sql: page_url, type: string, format: link}
      - {name: page_title, sql: page_title, type: string, format: {type: link, label: Open} }
      - {name: image, sql: img, type: string, format: imageUrl}
      - {name: engaged_seconds, sql: engaged, type: number, format: ".1f"}
      - {name: collector_tstamp, sql: collector_tstamp, type: time, format: "%Y-%m", granularities: [{name: fiscal_quarter, title: FQ, interval: 3 months, offset: 1 month}, {name: week_from_sunday, interval: 1 week, origin: "2024-01-07"}]}
      - {name: is_mobile, sql: dvce_ismobile, type: boolean, suggest_filter_values: false}
      - {name: public_key, sql: k, type: number, primary_key: true, public: true}
      - name: device_class
        type: string
        case:
          when:
            - {sql: "{CUBE}.dvce_ismobile", label: Mobile}
            - {sql: "{CUBE}.br_type = 'Robot'", label: {sql: "{CUBE}.br_name"} }
          else: {label: Desktop}
    hierarchies:
      - {name: pages, title: Pages, levels: [page_title, page_url]}
    segments:
      - {name: mobile, sql: "{CUBE}.dvce_ismobile", title: Mobile only}
      - {name: hidden_segment, sql: "1=1", public: false}
  - name: sessions
    sql: SELECT domain_sessionid AS session_id, COUNT(*) AS n FROM atomic.events GROUP BY 1
    public: false
    measures:
      - {name: bounces, type: count, filters: [{sql: "{CUBE}.n = 1"}]}
    dimensions:
      - {name: session_id, sql: session_id, type: string, primary_key: true}
  - name: standalone
    sql_table: other
    dimensions:
      - {name: id, sql: id, type: number, primary_key: true}
  - name: x_links
    sql_table: x
    joins: [{name: y_links, relationship: one_to_one, sql: "1 = 1"}]
    dimensions: [{name: id, sql: id, type: number, primary_key: true}]
  - name: y_links
    sql_table: y
    joins: [{name: x_links, relationship: one_to_one, sql: "1 = 1"}]
    dimensions: [{name: id, sql: id, type: number, primary_key: true}]
views:
  - name: web_overview
    description: Curated
    cubes:
      - join_path: page_views
        includes: [count, revenue, {name: user_id, alias: visitor, title: Visitor}, collector_tstamp, mobile]
      - join_path: page_views.sessions
        prefix: true
        alias: s
        includes: [bounces, session_id]
    folders:
      - {name: Traffic, includes: [count, visitor]}
`;

describe('toMeta', () => {
  it('matches Cube for the YAML fixture', { skip }, async () => { await compareWithCube(await readFixture('yaml')); });
  it('matches Cube for the JS fixture', { skip }, async () => { await compareWithCube(await readFixture('js')); });
  it('matches Cube for titles, formats, visibility, granularities, views and folders', { skip }, async () => {
    await compareWithCube([{ path: 'features.yml', content: FEATURES }]);
  });

  it('drops hidden members and cubes left empty with visibleOnly', () => {
    const { model } = compileModelFromSources([{ path: 'features.yml', content: FEATURES }]);
    const meta = toMeta(model, { visibleOnly: true }) as { name: string; measures: { name: string }[]; dimensions: { name: string }[]; segments: { name: string }[] }[];
    assert.deepEqual(meta.map((c) => c.name), ['page_views', 'web_overview'], 'hidden cube and cube with only hidden members are gone');
    const pv = meta[0];
    assert.ok(!pv.measures.some((m) => m.name === 'page_views.internal_total' || m.name === 'page_views.legacy_hidden'));
    assert.ok(!pv.dimensions.some((d) => d.name === 'page_views.event_id'));
    assert.ok(pv.dimensions.some((d) => d.name === 'page_views.public_key'));
    assert.deepEqual(pv.segments.map((s) => s.name), ['page_views.mobile']);
    assert.equal((toMeta(model) as unknown[]).length, 6);
  });

  it('titleizes names as Cube does', () => {
    assert.deepEqual(
      ['created_at', 'user_id', 'pageViews', 'bounce_rate_of_the_day', 'order_ids', 'line_items'].map(titleize),
      ['Created at', 'User ID', 'Page Views', 'Bounce Rate of the Day', 'Order IDs', 'Line Items'],
    );
  });
});
