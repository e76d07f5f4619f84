// The result cache never hides new data: an answer read only from built pre-aggregation tables
// is kept until those tables are rebuilt (load-service.ts), however short the refresh interval.
// Page views are sent with the official node tracker through the real collector; the truth is
// what the test sent. After each build the cached answer (the dashboard's ordinary load) must
// equal both the truth and a fresh computation (cache: 'no-cache'), and the first load after a
// rebuild must not be a cache hit; a repeated load before the next build must be one.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { newTracker, buildPageView } from '@snowplow/node-tracker';
import type { RunningCollector } from '@webcube/collector';
import type { RunningServer } from '@webcube/server';
import { buildAllPreAggregations, SHIPPED_SCHEMA, startLocalStack, type LocalStack } from './local-stack.ts';

const SECRET = 'preagg-result-cache-secret-0123456789';
const SITE = 'cached-site';

/** The shipped model with its one-minute refresh keys shortened to a second, so each build of the
 *  test rebuilds today's partitions. */
async function minuteKeysAsSeconds(dir: string): Promise<string> {
  const schema = join(dir, 'schema');
  await mkdir(schema);
  for (const f of await readdir(SHIPPED_SCHEMA)) {
    if (f.endsWith('.yml')) await writeFile(join(schema, f), (await readFile(join(SHIPPED_SCHEMA, f), 'utf8')).replaceAll('every: 1 minute', 'every: 1 second'));
  }
  return schema;
}

let stack: LocalStack;
let collector: RunningCollector;
let server: RunningServer;
let token: string;

before(async () => {
  // A one-second query cache: without the pre-aggregation rule, the second load would recompute.
  stack = await startLocalStack({ name: 'result-cache', secret: SECRET, schema: minuteKeysAsSeconds });
  ({ collector, server, token } = stack);
});

after(async () => { await stack?.close(); });

/** `views` page views from one new visitor; resolves once they are in Parquet. */
async function sendPageViews(views: number): Promise<void> {
  const failures: unknown[] = [];
  const t = newTracker({ namespace: `rc-${randomUUID().slice(0, 6)}`, appId: SITE, encodeBase64: false },
    { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1, onRequestFailure: (f) => { failures.push(f); } });
  t.setDomainUserId(randomUUID());
  t.setSessionId(randomUUID());
  t.setSessionIndex(1);
  for (let v = 0; v < views; v++) {
    t.track(buildPageView({ pageUrl: `https://cached.example/p${v}`, pageTitle: 'Cached' }),
      [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }]);
  }
  await t.flush();
  assert.deepEqual(failures, [], 'the collector accepted every request');
  await collector.store.flush();
}

const buildAll = () => buildAllPreAggregations(stack);

const today = () => new Date().toISOString().slice(0, 10);

type Answer = { value: number; used: string[]; cacheHit: boolean };

async function load(query: Record<string, unknown>, member: string): Promise<Answer> {
  const res = await fetch(`${server.url}/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify(query))}`, { headers: { Authorization: token } });
  const body = await res.json() as { data?: Record<string, unknown>[]; usedPreAggregations?: Record<string, unknown>; error?: string };
  assert.equal(res.status, 200, JSON.stringify(body));
  const timing = res.headers.get('server-timing') ?? '';
  return {
    value: (body.data ?? []).reduce((s, r) => s + Number(r[member] ?? 0), 0),
    used: Object.keys(body.usedPreAggregations ?? {}),
    cacheHit: /cache;desc="1 hit 0 miss"/.test(timing),
  };
}

// The Overview's views total (the page_views.by_page rollup in the store) and its sessions by
// country (the sessions cube's original_sql partitions in the source).
const QUERIES = [
  { member: 'page_views.count', query: { measures: ['page_views.count'], filters: [{ member: 'page_views.app_id', operator: 'equals', values: [SITE] }], timeDimensions: [{ dimension: 'page_views.timestamp', dateRange: [today(), today()] }], timezone: 'UTC' } },
  { member: 'sessions.count', query: { measures: ['sessions.count'], dimensions: ['sessions.country'], filters: [{ member: 'sessions.app_id', operator: 'equals', values: [SITE] }], timeDimensions: [{ dimension: 'sessions.start_time', dateRange: [today(), today()] }], timezone: 'UTC' } },
] as const;

test('answers from pre-aggregations stay cached until a rebuild, and a rebuild is never hidden by the cache', async () => {
  const truth = { views: 0, sessions: 0 };
  for (const [round, views] of [3, 2, 4].entries()) {
    await sendPageViews(views);
    truth.views += views;
    truth.sessions += 1;
    // Past the refresh key's second, so the build sees today's partitions as stale.
    await new Promise((r) => setTimeout(r, 1100));
    await buildAll();
    for (const { member, query } of QUERIES) {
      const expected = member === 'page_views.count' ? truth.views : truth.sessions;
      const first = await load(query, member);
      assert.ok(first.used.length > 0, `round ${round}: ${member} served by a pre-aggregation`);
      assert.equal(first.cacheHit, false, `round ${round}: the first ${member} load after a rebuild is computed`);
      assert.equal(first.value, expected, `round ${round}: ${member} after the build`);
      // Past the one-second query cache: still the same tables, so the cached answer is kept.
      await new Promise((r) => setTimeout(r, 1500));
      const again = await load(query, member);
      const fresh = await load({ ...query, cache: 'no-cache' }, member);
      assert.equal(again.cacheHit, true, `round ${round}: ${member} from the cache while its tables are unchanged`);
      assert.equal(again.value, expected, `round ${round}: cached ${member}`);
      assert.equal(fresh.value, again.value, `round ${round}: cached ${member} equals a fresh computation`);
    }
  }
});
