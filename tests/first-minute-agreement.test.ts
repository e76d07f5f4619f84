// Issue #16, a newcomer's first hour: from the first event on, through the first scheduled
// pre-aggregation builds and after new events arrive past them, the Overview's cards (Views,
// Top pages, Sessions) and the events cube count exactly what was sent. Built partitions whose
// refresh key (the newest collector_tstamp) changed since their build must not hide the newer
// events: the page_views cube then reads its original_sql table with the stale days read from
// the source, rollups step aside. Events go through the official node tracker to the real
// collector; queries through @cubejs-client/core to the real server with its refresh worker on.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import cube, { type CubeApi, type Query } from '@cubejs-client/core';
import { newTracker, buildPageView } from '@snowplow/node-tracker';
import type { RunningCollector } from '@webcube/collector';
import { startLocalStack, type LocalStack } from './local-stack.ts';

const SECRET = 'first-minute-agreement-secret-0123456789';
const SITE = 'first-minute';

let stack: LocalStack;
let collector: RunningCollector;
let api: CubeApi;

before(async () => {
  // The refresh worker runs as it does for a newcomer, only more often, so builds land between
  // (and during) the queries below.
  stack = await startLocalStack({ name: 'first-minute', secret: SECRET, serverEnv: { CUBEJS_REFRESH_WORKER: 'true', CUBEJS_SCHEDULED_REFRESH_TIMER: '1' } });
  ({ collector, api } = stack);
});

after(async () => { await stack?.close(); });

interface Sent { readonly user: string; readonly session: string; readonly path: string }
const sent: Sent[] = [];

/** `users` new visitors, one session each, viewing `paths` in turn; resolves once they are in Parquet. */
async function visit(users: number, paths: readonly string[]): Promise<void> {
  for (let u = 0; u < users; u++) {
    const failures: unknown[] = [];
    const t = newTracker({ namespace: `fm-${randomUUID().slice(0, 6)}`, appId: SITE, encodeBase64: false },
      { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1, onRequestFailure: (f) => { failures.push(f); } });
    const user = randomUUID();
    const session = randomUUID();
    t.setDomainUserId(user);
    t.setSessionId(session);
    t.setSessionIndex(1);
    for (const path of paths) {
      t.track(buildPageView({ pageUrl: `https://first-minute.example${path}`, pageTitle: path }),
        [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }]);
      sent.push({ user, session, path });
    }
    await t.flush();
    assert.deepEqual(failures, [], 'the collector accepted every request');
  }
  await collector.store.flush();
}

function truth() {
  const pages = new Map<string, { views: number; users: Set<string> }>();
  for (const s of sent) {
    const p = pages.get(s.path) ?? pages.set(s.path, { views: 0, users: new Set() }).get(s.path)!;
    p.views++;
    p.users.add(s.user);
  }
  return {
    views: sent.length,
    eventViews: sent.length,
    sessions: new Set(sent.map((s) => s.session)).size,
    pages: Object.fromEntries([...pages].sort(([a], [b]) => a.localeCompare(b)).map(([p, v]) => [p, [v.views, v.users.size]])),
  };
}

/** The Overview's cards for today as the dashboard scopes them (the site; humans for events). */
async function cards() {
  const day = new Date().toISOString().slice(0, 10);
  const range = { dateRange: [day, day] as [string, string] };
  const site = (member: string) => [{ member, operator: 'equals' as const, values: [SITE] }];
  // renewQuery: the answer must hold every event in Parquet when the query arrived.
  const ask = async (q: Query) => {
    const rs = await api.load({ ...q, timezone: 'UTC', renewQuery: true } as Query);
    return { rows: rs.tablePivot(), used: Object.keys(rs.serialize().loadResponse.results[0]?.usedPreAggregations ?? {}) };
  };
  const [views, pages, sessions, events] = await Promise.all([
    ask({ measures: ['page_views.count'], timeDimensions: [{ dimension: 'page_views.timestamp', ...range }], filters: site('page_views.app_id') }),
    ask({ measures: ['page_views.count', 'page_views.users'], dimensions: ['page_views.page_path'], timeDimensions: [{ dimension: 'page_views.timestamp', ...range }], filters: site('page_views.app_id') }),
    ask({ measures: ['sessions.count'], timeDimensions: [{ dimension: 'sessions.start_time', ...range }], filters: site('sessions.app_id') }),
    ask({ measures: ['events.page_views'], segments: ['events.humans'], timeDimensions: [{ dimension: 'events.timestamp', ...range }], filters: site('events.app_id') }),
  ]);
  return {
    shown: {
      views: Number(views.rows[0]?.['page_views.count'] ?? 0),
      eventViews: Number(events.rows[0]?.['events.page_views'] ?? 0),
      sessions: Number(sessions.rows[0]?.['sessions.count'] ?? 0),
      pages: Object.fromEntries(pages.rows.map((r) => [String(r['page_views.page_path']), [Number(r['page_views.count']), Number(r['page_views.users'])]])
        .sort(([a], [b]) => String(a).localeCompare(String(b)))),
    },
    used: [...views.used, ...pages.used, ...sessions.used, ...events.used],
  };
}

/**
 * Asks the cards again and again, each answer compared with what was sent, until one was
 * served by a pre-aggregation built after the last events (a scheduled build came and went).
 */
async function agreeThroughBuilds(label: string): Promise<string[]> {
  const served = new Set<string>();
  for (let i = 0; i < 600; i++) {
    const c = await cards();
    assert.deepEqual(c.shown, truth(), `${label}, ask #${i} (served by ${JSON.stringify(c.used)})`);
    for (const u of c.used) served.add(u);
    if (c.used.some((u) => u.startsWith('page_views.'))) return [...served];
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${label}: no scheduled build served the cards after 600 asks (served by ${[...served].join(', ') || 'the source only'})`);
}

test('the Overview cards count every page view sent, from the first one, through the first builds and past them', async () => {
  assert.deepEqual((await cards()).shown, truth(), 'an empty site shows nothing yet');

  await visit(3, ['/', '/pricing']);
  const first = await agreeThroughBuilds('the first visitors');

  // New visitors (and a new page) right after builds that did not hold them.
  await visit(2, ['/', '/docs', '/docs']);
  const second = await agreeThroughBuilds('visitors after the first builds');

  await visit(1, ['/pricing']);
  const third = await agreeThroughBuilds('one more visitor');
  assert.ok([...first, ...second, ...third].some((u) => u === 'page_views.page_views_table' || u === 'page_views.by_page'),
    `the page_views cards were served by its pre-aggregations at some point: ${JSON.stringify([first, second, third])}`);
});
