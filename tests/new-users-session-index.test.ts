// Issue #16: "New users" for data from trackers with and without a session index. The browser
// tracker sends domain_sessionidx (1 = the browser's first visit); the node tracker sends none,
// so there a session is its user's first when nothing of that user came before it. Events go
// through the official node tracker (with and without setSessionIndex) to the real collector;
// the Overview's New users (sessions.new_users) and the New / returning split are read through
// @cubejs-client/core from the raw events and from the built pre-aggregations. The truth is
// what the test sent.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { CubeApi, Query } from '@cubejs-client/core';
import { newTracker, buildPageView } from '@snowplow/node-tracker';
import type { RunningCollector } from '@webcube/collector';
import type { RunningServer } from '@webcube/server';
import { buildAllPreAggregations, startLocalStack, type LocalStack } from './local-stack.ts';

const SECRET = 'new-users-session-index-secret-0123456789';
const SITE = 'new-users';
const DAY = 86_400_000;

let stack: LocalStack;
let collector: RunningCollector;
let server: RunningServer;
let token: string;
let api: CubeApi;

before(async () => {
  stack = await startLocalStack({ name: 'new-users', secret: SECRET });
  ({ collector, server, token, api } = stack);
});

after(async () => { await stack?.close(); });

interface Session { readonly user: string; readonly start: number; readonly index?: number }
const sessions: Session[] = [];

/** One session of `user` with two page views at `start` (true timestamps); `index` as the browser tracker would send it. */
async function session(user: string, start: number, index?: number): Promise<void> {
  const failures: unknown[] = [];
  const t = newTracker({ namespace: `nu-${randomUUID().slice(0, 6)}`, appId: SITE, encodeBase64: false },
    { endpoint: '127.0.0.1', port: collector.port, protocol: 'http', bufferSize: 1, onRequestFailure: (f) => { failures.push(f); } });
  t.setDomainUserId(user);
  t.setSessionId(randomUUID());
  if (index !== undefined) t.setSessionIndex(index);
  for (const [i, path] of ['/', '/about'].entries()) {
    t.track(buildPageView({ pageUrl: `https://new-users.example${path}` }),
      [{ schema: 'iglu:com.snowplowanalytics.snowplow/web_page/jsonschema/1-0-0', data: { id: randomUUID() } }],
      { type: 'ttm', value: start + i * 1000 });
  }
  await t.flush();
  assert.deepEqual(failures, [], 'the collector accepted every request');
  sessions.push({ user, start, ...(index !== undefined ? { index } : {}) });
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** Truth for the sessions starting on `day`: new users are those whose first session is one of them. */
function truth(day: string) {
  const first = new Map<string, Session>();
  for (const s of [...sessions].sort((a, b) => a.start - b.start)) if (!first.has(s.user)) first.set(s.user, s);
  const isFirst = (s: Session) => (s.index !== undefined ? s.index === 1 : first.get(s.user) === s);
  const inDay = sessions.filter((s) => utcDay(s.start) === day);
  return {
    users: new Set(inDay.map((s) => s.user)).size,
    newUsers: new Set(inDay.filter(isFirst).map((s) => s.user)).size,
    byType: { new: inDay.filter(isFirst).length, returning: inDay.filter((s) => !isFirst(s)).length },
  };
}

async function shown(day: string) {
  const scope = { timeDimensions: [{ dimension: 'sessions.start_time', dateRange: [day, day] as [string, string] }],
    filters: [{ member: 'sessions.app_id', operator: 'equals' as const, values: [SITE] }], timezone: 'UTC' };
  const totals = (await api.load({ measures: ['sessions.users', 'sessions.new_users'], ...scope } as Query)).tablePivot()[0] ?? {};
  const types = (await api.load({ measures: ['sessions.count'], dimensions: ['sessions.user_type'], ...scope } as Query)).tablePivot();
  const byType: Record<string, number> = { new: 0, returning: 0 };
  for (const r of types) byType[String(r['sessions.user_type'])] = Number(r['sessions.count']);
  return { users: Number(totals['sessions.users'] ?? 0), newUsers: Number(totals['sessions.new_users'] ?? 0), byType };
}

const buildAll = () => buildAllPreAggregations(stack);

test('New users count first visits for node tracker data (no session index) and browser data (index) alike', async () => {
  const now = Date.now();
  const today = utcDay(now);
  // Today's sessions start within the last ten minutes, or from midnight when it is earlier.
  const base = Math.max(Date.parse(`${today}T00:00:00Z`), now - 600_000);
  // Node tracker, no index: 14 brand-new users today, 2 of them back for a second session;
  // 3 users first seen two days ago who return today.
  const fresh = Array.from({ length: 14 }, () => randomUUID());
  for (const u of fresh) await session(u, base);
  for (const u of fresh.slice(0, 2)) await session(u, base + 5000);
  const back = Array.from({ length: 3 }, () => randomUUID());
  for (const u of back) await session(u, now - 2 * DAY);
  for (const u of back) await session(u, base + 2000);
  // Browser-like data with an index: what the tracker says wins (its cookie saw earlier visits).
  for (let i = 0; i < 4; i++) await session(randomUUID(), base, 1);
  for (let i = 0; i < 2; i++) await session(randomUUID(), base, 3);
  await collector.store.flush();

  const expected = truth(today);
  assert.equal(expected.newUsers, 18, 'the scenario: 14 node users and 4 browser users are new today');
  assert.deepEqual(await shown(today), expected, 'from the raw events');
  await buildAll();
  assert.deepEqual(await shown(today), expected, 'from the built pre-aggregations');
});
