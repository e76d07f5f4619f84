// Issue #5: "pre-aggregations for every query the dashboard makes, so they never scan raw events".
// The built dashboard runs in Chromium against the real server with the shipped schema/ and its
// pre-aggregations built through the jobs API; every /load answer the pages receive must name the
// pre-aggregation that served it. The query list is whatever the pages send, so it cannot drift.
// With DuckDB as the source, and with PrestoDB building the same rollups from the same files.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Response } from 'playwright-core';
import { openPage, settled, startHarness, type Harness } from './dashboard-harness.ts';
import { testEngine, uniqueSchema } from './engines.ts';

/** Each source engine's settings over the seeded files. */
const SOURCES: Record<string, ((dir: string) => Promise<Record<string, string>>) | undefined> = {
  duckdb: undefined,
  presto: async (dir) => {
    const engine = await testEngine('presto');
    const schema = uniqueSchema('dashboard');
    return { ...engine.settings('hive', schema), WEBCUBE_EVENTS_TABLE: await engine.registerEvents(dir, schema) };
  },
};

type LoadResult = { query?: Record<string, unknown>; usedPreAggregations?: Record<string, unknown> };
type Served = { page: string; query: string; by: string[] };

/** The dashboard's pages and views (default, one site, a filter) — the explorer's queries are the user's own. */
const VIEWS = [
  '/', '/?site=shop', '/?site=shop&country=DE', '/acquisition', '/acquisition?site=shop',
  '/engagement', '/engagement?site=shop', '/audience', '/audience?site=shop', '/realtime?site=shop',
];

async function buildAll(h: Harness): Promise<void> {
  const post = async (body: unknown) => {
    const res = await fetch(`${h.server.url}/cubejs-api/v1/pre-aggregations/jobs`, {
      method: 'POST', headers: { Authorization: h.token, 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    });
    assert.equal(res.status, 200, await res.clone().text());
    return res.json() as Promise<unknown>;
  };
  const tokens = await post({ action: 'post', selector: { contexts: [{ securityContext: {} }], timezones: ['UTC'] } }) as string[];
  // A JVM engine on 2 cores builds the dashboard's hundreds of partitions in minutes, not
  // seconds: the wait is bounded by progress (some build finishing), not by a fixed time.
  let doneBefore = -1;
  let idlePolls = 0;
  while (idlePolls < 3000) {
    const statuses = (await post({ action: 'get', tokens }) as { status: string }[]).map((s) => s.status);
    const failed = statuses.filter((s) => s.startsWith('failure'));
    assert.deepEqual(failed, [], 'every pre-aggregation builds');
    const done = statuses.filter((s) => s === 'done').length;
    if (done === statuses.length) return;
    idlePolls = done > doneBefore ? 0 : idlePolls + 1;
    doneBefore = Math.max(done, doneBefore);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('pre-aggregation builds stopped making progress');
}

async function servedBy(response: Response, page: string): Promise<Served[]> {
  let body: { results?: LoadResult[]; error?: string };
  try { body = await response.json() as typeof body; } catch { return []; }
  if (!body.results) return [];
  return body.results.map((r) => ({ page, query: JSON.stringify(r.query ?? {}), by: Object.keys(r.usedPreAggregations ?? {}) }));
}

for (const [sourceName, source] of Object.entries(SOURCES)) describe(`the dashboard reads pre-aggregations only (source: ${sourceName})`, { timeout: 3_000_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({ source, env: { CUBEJS_DEFAULT_API_SCOPES: 'meta,data,graphql,jobs', CUBEJS_REFRESH_WORKER: 'false' } });
    await buildAll(h);
  });
  after(async () => { await h?.close(); });

  test('every query of every dashboard page is served by a pre-aggregation', async () => {
    const served: Served[] = [];
    const { page, context, errors } = await openPage(h);
    const pending: Promise<void>[] = [];
    let current = '';
    page.on('response', (r) => {
      if (!new URL(r.url()).pathname.endsWith('/cubejs-api/v1/load')) return;
      const at = current;
      pending.push(servedBy(r, at).then((s) => { served.push(...s); }));
    });
    try {
      for (const view of VIEWS) {
        current = view;
        const sep = view.includes('?') ? '&' : '?';
        await page.goto(`${h.server.url}${view}${sep}token=${h.token}`);
        await settled(page, 60_000);
        await Promise.all(pending);
      }
    } finally {
      await context.close();
    }
    assert.deepEqual(errors, [], 'no console errors');
    assert.ok(served.length >= VIEWS.length * 2, `the pages made their queries (${served.length})`);
    const raw = served.filter((s) => s.by.length === 0);
    const list = [...new Set(raw.map((s) => `${s.page}: ${s.query}`))];
    assert.deepEqual(list, [], `${list.length} of ${served.length} dashboard queries scanned raw events`);
  });
});
