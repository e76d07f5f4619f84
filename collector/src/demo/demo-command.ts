// `webcube demo`: N days of realistic history written through the collector's enrichment, then
// live traffic sent through the official Snowplow node tracker to a running collector.
import { setTimeout as sleep } from 'node:timers/promises';
import { importHistory } from './history-import.ts';
import { createLiveSender } from './live-sender.ts';
import { loadDemoConfig, demoUsage } from './demo-config.ts';
import { planTraffic, TrafficSource } from './plan-traffic.ts';
import type { Hit } from './hit.ts';

export interface DemoOptions {
  readonly dataDir: string;
  readonly days?: number;
  readonly live?: boolean;
  readonly collectorUrl?: string;
  readonly seed?: string | number;
  readonly sessionsPerDay?: number;
  readonly liveSessionsPerMinute?: number;
  readonly sites?: readonly string[];
  /** Stop live traffic after this long; without it, live runs until `signal` aborts. */
  readonly durationMs?: number;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
  /** The clock (tests). */
  readonly now?: () => number;
}

export interface DemoResult { readonly historyEvents: number; readonly historySessions: number; readonly liveEvents: number; readonly liveSessions: number }

const DAY = 86_400_000;

export async function runDemo(opts: DemoOptions): Promise<DemoResult> {
  const now = opts.now ?? Date.now;
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? 'webcube';
  const sites = opts.sites ?? ['demo-site'];
  const days = opts.days ?? 30;
  const start = now();
  let historyEvents = 0, historySessions = 0, liveEvents = 0, liveSessions = 0;

  if (days > 0) {
    const plan = planTraffic({ seed, startMs: start - days * DAY, days: days + 1, sessionsPerDay: opts.sessionsPerDay ?? 400, appIds: sites, untilMs: start });
    const hits = function* () { for (const s of plan) { historySessions++; yield* s.hits; } };
    const r = await importHistory(hits(), opts.dataDir, { signal: opts.signal });
    historyEvents = r.events;
    log(`wrote ${r.events} events in ${historySessions} sessions over ${days} days to ${opts.dataDir}${r.bad ? ` (${r.bad} rejected)` : ''}`);
  }

  if (opts.live ?? true) {
    if (!opts.collectorUrl) throw new Error('WEBCUBE_DEMO_COLLECTOR_URL: live traffic needs the collector URL');
    await waitForCollector(opts.collectorUrl, opts.signal);
    const sender = createLiveSender(opts.collectorUrl, { bufferSize: 20 });
    const perMinute = opts.liveSessionsPerMinute ?? 6;
    const source = new TrafficSource({ seed: `${seed}/live/${start}`, appIds: sites });
    const queue: Hit[] = [];
    const stopAt = opts.durationMs === undefined ? Infinity : start + opts.durationMs;
    let planned = start;
    let owed = 0;
    let reported = start;
    log(`sending live traffic (${perMinute} sessions/min) to ${opts.collectorUrl}`);
    while (!opts.signal?.aborted && now() < stopAt) {
      const t = now();
      // Sessions start at the configured rate; each one's hits go out when their time comes.
      owed += ((t - planned) * perMinute) / 60_000;
      for (; owed >= 1; owed--) {
        queue.push(...source.session(planned + Math.floor(source.random.next() * (t - planned)), source.pickApp()).hits);
        liveSessions++;
      }
      planned = t;
      queue.sort((a, b) => a.time - b.time);
      let due = 0;
      while (due < queue.length && queue[due].time <= t) due++;
      for (const hit of queue.splice(0, due)) sender.send(hit);
      liveEvents += due;
      if (due > 0) await sender.flush();
      if (t - reported >= 60_000) { reported = t; log(`live: ${liveEvents} events in ${liveSessions} sessions so far`); }
      await sleep(Math.min(1000, Math.max(0, stopAt - now())), undefined, { signal: opts.signal }).catch(() => {});
    }
    await sender.flush();
    log(`sent ${liveEvents} live events (${sender.stats.failed} failed)`);
  }
  return { historyEvents, historySessions, liveEvents, liveSessions };
}

async function waitForCollector(url: string, signal?: AbortSignal): Promise<void> {
  for (let i = 0; ; i++) {
    try {
      const res = await fetch(`${url.replace(/\/+$/, '')}/health`, { signal });
      if (res.ok) return;
    } catch (error) {
      if (signal?.aborted) throw error;
    }
    if (i >= 60) throw new Error(`WEBCUBE_DEMO_COLLECTOR_URL: no collector answers at ${url}/health`);
    await sleep(500);
  }
}

export async function demoCommand(args: string[], env: Record<string, string | undefined>): Promise<void> {
  if (args.includes('--help') || args.includes('-h')) { process.stdout.write(demoUsage); return; }
  const config = loadDemoConfig(env, args);
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await runDemo({
      dataDir: config.dataDir, days: config.days, live: config.live, collectorUrl: config.collectorUrl, seed: config.seed,
      sessionsPerDay: config.sessionsPerDay, liveSessionsPerMinute: config.liveSessionsPerMinute, sites: config.sites,
      durationMs: config.durationS > 0 ? config.durationS * 1000 : undefined, signal: controller.signal,
      log: (line) => process.stdout.write(`webcube demo: ${line}\n`),
    });
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
  }
}
