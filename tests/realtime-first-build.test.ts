// Issue #16, a newcomer's first hour: on a new, empty site the Realtime cards (lambda rollups:
// the built partitions plus the source past them) must count page views at once, before and
// after a pre-aggregation build, and agree with the Overview's numbers. Events are sent with the
// official node tracker through the real collector; the truth is what the test sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { newTracker, buildPageView } from '@snowplow/node-tracker';
import type { RunningCollector } from '@webcube/collector';
import type { RunningServer } from '@webcube/server';
import { buildAllPreAggregations, startLocalStack, type LocalStack } from './local-stack.ts';

const SECRET = 'realtime-first-build-secret-0123456789';
const SITE = 'newcomer';

let stack: LocalStack;
let collector: RunningCollector;
let server: RunningServer;
let token: string;

before(async () => {
  // No refresh worker: the test decides when the rollups are built.
  stack = await startLocalStack({ name: 'rt-first', secret: SECRET });
  ({ collector, server, token } = stack);
});

after(async () => { await stack?.close(); });

/** Page views from `users` visitors, one session each (index `sessionIndex`: 1 is a new user); resolves once they are in Parquet. */
async function sendPageViews(users: number, viewsEach: number, sessionIndex = 1): Promise<void> {
  for (let u = 0; u < users; u++) {
    const failures: unknown[] = [];
    const t = newTracker({ namespace: `rt-${randomUUID().slice(0, 6)}`, appId: SITE, encodeBase64: false },
      { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1, onRequestFailure: (f) => { failures.push(f); } });
    t.setDomainUserId(randomUUID());
    t.setSessionId(randomUUID());
    t.setSessionIndex(sessionIndex);
    for (let v = 0; v < viewsEach; v++) {
      t.track(buildPageView({ pageUrl: `https://newcomer.example/p${v}`, pageTitle: 'First hour' }),
        [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }]);
    }
    await t.flush();
    assert.deepEqual(failures, [], 'the collector accepted every request');
  }
  await collector.store.flush();
}

async function load(query: Record<string, unknown>): Promise<{ data: Record<string, unknown>[]; used: string[] }> {
  const res = await fetch(`${server.url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify({ ...query, renewQuery: true }))}`,
    { headers: { Authorization: token } });
  const body = await res.json() as { data?: Record<string, unknown>[]; usedPreAggregations?: Record<string, unknown>; error?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  return { data: body.data ?? [], used: Object.keys(body.usedPreAggregations ?? {}) };
}

const buildAll = () => buildAllPreAggregations(stack);

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 23);

/** The Realtime page's cards: whole-minute windows ending with the current minute (UTC). */
async function cards() {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const window = [iso(minute - 29 * 60_000), iso(minute + 59_999)];
  // As the dashboard scopes them (build-query.ts): the site, humans only, the view's time zone.
  const scope = { filters: [{ member: 'events.app_id', operator: 'equals', values: [SITE] }], segments: ['events.humans'], timezone: 'UTC' };
  const active = await load({ measures: ['events.users'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: window }], ...scope });
  const perMinute = await load({ measures: ['events.page_views'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: window, granularity: 'minute' }], ...scope });
  const pages = await load({ dimensions: ['events.page_path'], measures: ['events.users'], timeDimensions: [{ dimension: 'events.timestamp', dateRange: window }], ...scope });
  return {
    shown: {
      activeUsers: Number(active.data[0]?.['events.users'] ?? 0),
      views: perMinute.data.reduce((s, r) => s + Number(r['events.page_views']), 0),
      pageRows: pages.data.length,
    },
    used: { active: active.used, perMinute: perMinute.used, pages: pages.used },
  };
}

test('Realtime counts page views at once on a new site, before and after the first pre-aggregation build', async () => {
  // Built while the site is empty, then the first visitors arrive.
  await buildAll();
  await sendPageViews(2, 2);
  let truth = { activeUsers: 2, views: 4, pageRows: 2 };
  assert.deepEqual((await cards()).shown, truth, 'first visitors, before any rollup holds them');

  // The rollups are built with these visitors; more arrive right after the build.
  await buildAll();
  await sendPageViews(3, 1);
  truth = { activeUsers: 5, views: 7, pageRows: 2 };
  const after = await cards();
  assert.deepEqual(after.shown, truth, `after a build, newer events still count at once (served by ${JSON.stringify(after.used)})`);

  // And once more after another build, now that every rollup has partitions.
  await buildAll();
  await sendPageViews(1, 3, 2);
  truth = { activeUsers: 6, views: 10, pageRows: 3 };
  const again = await cards();
  assert.deepEqual(again.shown, truth, `after a second build (served by ${JSON.stringify(again.used)})`);
  assert.ok(again.used.perMinute.length > 0, `the per-minute views are served by the realtime lambda rollup: ${JSON.stringify(again.used)}`);
});
