// A few tracker events at awkward times (around midnight UTC, with milliseconds), sent with the
// official node tracker to a real collector and flushed: the engine tests' time probe.
import assert from 'node:assert/strict';
import { buildPageView, buildStructEvent, newTracker } from '@snowplow/node-tracker';
import type { CollectorHarness } from './collector-harness.ts';

export const SENT = [Date.UTC(2024, 2, 10, 23, 59, 59, 987), Date.UTC(2024, 2, 11, 0, 0, 0, 1), Date.UTC(2023, 11, 31, 23, 30, 0, 500)];
/** The device times of the events `sendTimestampEvents` sends, as `YYYY-MM-DD HH:mm:ss.SSS`. */
export const SENT_TIMES = [...SENT, SENT[0]].map((ms) => new Date(ms).toISOString().replace('T', ' ').replace('Z', ''));

/** Sends a page view at each of SENT and a structured event at the first, then flushes the collector. */
export async function sendTimestampEvents(h: CollectorHarness, appId: string): Promise<void> {
  const url = new URL(h.collector.url);
  const failures: unknown[] = [];
  const t = newTracker({ namespace: appId, appId, encodeBase64: false }, {
    endpoint: url.hostname, port: Number(url.port), protocol: 'http', bufferSize: 1, onRequestFailure: (f) => { failures.push(f); },
  });
  SENT.forEach((ms, i) => t.track(buildPageView({ pageUrl: `https://example.com/p${i}`, pageTitle: `P${i}` }), [], ms));
  t.track(buildStructEvent({ category: 'c', action: 'a', value: 1.25 }), [], SENT[0]);
  await t.flush();
  assert.deepEqual(failures, []);
  await h.collector.store.flush();
}
