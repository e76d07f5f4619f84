// Demo traffic over days: new and returning visitors (a returning visit comes at least 30
// minutes after the visitor's last event, so it is a new session as the tracker would make it),
// a daily rhythm with weekday peaks, many countries and devices, and a few crawlers.
import { countries, devices } from './catalog.ts';
import { createRandom, type Random } from './prng.ts';
import { newVisitor, planSession, type PlannedSession, type Visitor } from './plan-session.ts';

export interface TrafficOptions {
  readonly seed: number | string;
  /** First day (any time in it; days are UTC). */
  readonly startMs: number;
  readonly days: number;
  /** Average sessions per day per site. */
  readonly sessionsPerDay: number;
  readonly appIds?: readonly string[];
  readonly host?: string;
  /** Share of sessions by crawlers (flagged is_bot by the collector). */
  readonly botShare?: number;
  /** Share of sessions by visitors seen before. */
  readonly returningShare?: number;
  /** Sessions starting before this instant are skipped (live traffic starts "now"). */
  readonly fromMs?: number;
  /** Planning stops at this instant; hits after it are cut (history ends "now"). */
  readonly untilMs?: number;
}

const DAY = 86_400_000;
const SESSION_TIMEOUT = 30 * 60_000;
// Relative traffic per UTC hour: quiet nights, busy afternoons.
const HOURS = [3, 2, 2, 2, 2, 3, 4, 6, 8, 9, 10, 10, 10, 10, 11, 11, 10, 9, 8, 8, 7, 6, 5, 4];
const HOUR_WEIGHTS = HOURS.map((w, h) => [h, w] as const);

function makeVisitor(rng: Random, appId: string, isBot: boolean): Visitor {
  const device = rng.weighted(devices.map((d) => [d, d.weight] as const));
  const country = rng.weighted(countries.map((c) => [c, c.weight] as const));
  const ip = `${rng.pick(country.blocks)}${rng.int(1, 254)}`;
  return newVisitor(rng, appId, isBot, device, { ip, lang: country.lang, tz: country.tz });
}

/** Visitors (new, returning, crawlers) and their sessions, one at a time: the live demo asks it
 *  for a session "now", planTraffic for each start time of a day. */
export class TrafficSource {
  private readonly rng: Random;
  private readonly pools = new Map<string, Visitor[]>();
  readonly appIds: readonly string[];
  private readonly host: string;
  private readonly botShare: number;
  private readonly returningShare: number;

  constructor(opts: Pick<TrafficOptions, 'seed' | 'appIds' | 'host' | 'botShare' | 'returningShare'>) {
    this.rng = createRandom(opts.seed);
    this.appIds = opts.appIds?.length ? opts.appIds : ['demo-site'];
    this.host = opts.host ?? 'www.webcube-demo.com';
    this.botShare = opts.botShare ?? 0.03;
    this.returningShare = opts.returningShare ?? 0.3;
  }

  get random(): Random { return this.rng; }

  /** The site of the next session: the first site busiest, the n-th 1/n as busy. */
  pickApp(): string {
    return this.rng.weighted(this.appIds.map((a, i) => [a, 1 / (i + 1)] as const));
  }

  session(at: number, appId: string): PlannedSession {
    const rng = this.rng;
    let pool = this.pools.get(appId);
    if (!pool) { pool = []; this.pools.set(appId, pool); }
    let visitor: Visitor | undefined;
    if (rng.chance(this.botShare)) visitor = makeVisitor(rng, appId, true);
    else if (pool.length > 0 && rng.chance(this.returningShare)) {
      // Recent visitors come back most often (pool is newest first).
      const candidate = pool[Math.floor(pool.length * rng.next() ** 2)];
      if (candidate.lastEnd + SESSION_TIMEOUT < at) visitor = candidate;
    }
    if (!visitor) {
      visitor = makeVisitor(rng, appId, false);
      pool.unshift(visitor);
      if (pool.length > 5000) pool.pop();
    }
    return planSession(rng.fork(`${visitor.duid}/${visitor.sessions}`), visitor, at, this.host);
  }
}

/** Sessions in start-time order, day by day, deterministic for a seed. */
export function* planTraffic(opts: TrafficOptions): Generator<PlannedSession> {
  const source = new TrafficSource(opts);
  const rng = source.random;
  const firstDay = Math.floor(opts.startMs / DAY) * DAY;

  for (let d = 0; d < opts.days; d++) {
    const day = firstDay + d * DAY;
    const weekday = new Date(day).getUTCDay();
    const dayFactor = (weekday === 0 || weekday === 6 ? 0.7 : 1.1) * (0.9 + rng.next() * 0.2);
    const starts: { at: number; appId: string }[] = [];
    source.appIds.forEach((appId, i) => {
      const n = Math.max(1, Math.round(opts.sessionsPerDay * dayFactor / (i + 1)));
      for (let k = 0; k < n; k++) {
        const hour = rng.weighted(HOUR_WEIGHTS);
        starts.push({ at: day + hour * 3_600_000 + rng.int(0, 3_599_999), appId });
      }
    });
    starts.sort((a, b) => a.at - b.at);
    for (const { at, appId } of starts) {
      if (opts.untilMs !== undefined && at > opts.untilMs) return;
      if (opts.fromMs !== undefined && at < opts.fromMs) continue;
      const session = source.session(at, appId);
      if (opts.untilMs !== undefined) {
        const hits = session.hits.filter((h) => h.time <= opts.untilMs!);
        yield { ...session, hits };
      } else yield session;
    }
  }
}
