// A small script language for exact traffic: users, their sessions, page views with pings and
// custom events at chosen times. Tests use it to send known traffic and compute the truth the
// data model must reproduce; it yields the same Hit values the demo generator does.
import { countries, devices } from './catalog.ts';
import { demoSchema, type Hit, type HitKind, type SelfDescribing } from './hit.ts';
import { createRandom, type Random } from './prng.ts';
import { HEARTBEAT_S, MIN_VISIT_S } from './plan-session.ts';

export interface UserOptions {
  readonly country?: string;
  readonly device?: 'desktop' | 'mobile' | 'tablet';
  readonly bot?: boolean;
  readonly appId?: string;
  readonly uid?: string;
}

export interface SessionOptions { readonly referrer?: string; readonly query?: string }
export interface ViewOptions {
  readonly title?: string;
  /** Seconds of activity: pings at minimumVisitLength, then every heartbeat, while < dwell. */
  readonly dwell?: number;
  /** Explicit ping offsets in seconds from the page view (overrides dwell). */
  readonly pings?: readonly number[];
  readonly docHeight?: number;
  readonly scrollTo?: number;
}

const BOT_UA = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';

export class Scenario {
  readonly hits: Hit[] = [];
  private readonly rng: Random;
  constructor(readonly opts: { readonly seed?: string; readonly appId?: string; readonly host?: string } = {}) {
    this.rng = createRandom(opts.seed ?? 'scenario');
  }
  get host(): string { return this.opts.host ?? 'shop.example.com'; }
  uuid(): string { return this.rng.uuid(); }

  user(o: UserOptions = {}): ScenarioUser {
    const country = countries.find((c) => c.code === (o.country ?? 'US')) ?? countries[0];
    const device = devices.find((d) => d.kind === (o.device ?? 'desktop'))!;
    return new ScenarioUser(this, {
      appId: o.appId ?? this.opts.appId ?? 'shop', duid: this.uuid(), uid: o.uid,
      ip: `${country.blocks[0]}${this.rng.int(1, 254)}`, lang: country.lang, tz: country.tz,
      ua: o.bot ? BOT_UA : device.ua, screen: device.screen, viewport: device.viewport,
    });
  }
}

type UserBase = Pick<Hit, 'appId' | 'duid' | 'ip' | 'lang' | 'tz' | 'ua' | 'screen' | 'viewport'> & { uid?: string };

export class ScenarioUser {
  sessions = 0;
  constructor(readonly scenario: Scenario, readonly base: UserBase) {}
  get duid(): string { return this.base.duid; }
  setUserId(uid: string | undefined): void { this.base.uid = uid; }
  /** A new session (the tracker's visit count goes up by one) starting at `at` (ms). */
  session(at: number, o: SessionOptions = {}): ScenarioSession {
    this.sessions += 1;
    return new ScenarioSession(this, this.scenario.uuid(), this.sessions, at, o);
  }
}

export class ScenarioSession {
  private page?: { id: string; url: string; title: string; height: number };
  private referrer?: string;
  private first = true;
  constructor(readonly user: ScenarioUser, readonly sid: string, readonly vid: number, public cursor: number, readonly opts: SessionOptions) {
    this.referrer = opts.referrer;
  }

  private push(kind: HitKind, time: number, extra: Partial<Hit> = {}): Hit {
    const p = this.page!;
    const hit: Hit = {
      ...this.user.base, kind, time, eventId: this.user.scenario.uuid(), sid: this.sid, vid: this.vid,
      pageViewId: p.id, url: p.url, title: p.title, referrer: this.referrer, docHeight: p.height, ...extra,
    };
    this.user.scenario.hits.push(hit);
    return hit;
  }

  /** A page view at the cursor (or `at`), its pings, and the cursor moved past the dwell. */
  view(path: string, o: ViewOptions = {}, at?: number): Hit {
    if (at !== undefined) this.cursor = at;
    if (this.page) this.referrer = this.page.url;
    const query = this.first && this.opts.query ? `?${this.opts.query}` : '';
    this.first = false;
    this.page = { id: this.user.scenario.uuid(), url: `https://${this.user.scenario.host}${path}${query}`, title: o.title ?? path, height: o.docHeight ?? 3000 };
    const start = this.cursor;
    const hit = this.push('page_view', start);
    const dwell = o.dwell ?? 0;
    const offsets = o.pings ?? (() => { const out: number[] = []; for (let s = MIN_VISIT_S; s < dwell; s += HEARTBEAT_S) out.push(s); return out; })();
    const vh = this.user.base.viewport[1];
    offsets.forEach((s, i) => {
      const y = Math.round(((o.scrollTo ?? this.page!.height - vh) * (i + 1)) / offsets.length);
      this.push('page_ping', start + s * 1000, { scrollY: [0, y] });
    });
    this.cursor = start + Math.max(dwell, ...offsets, 0) * 1000 + 1000;
    return hit;
  }

  /** A self-describing event on the current page, `afterMs` after the cursor. */
  event(name: string, data: SelfDescribing['data'] = {}, afterMs = 1000): Hit {
    this.cursor += afterMs;
    return this.push('self_describing', this.cursor, { event: { schema: demoSchema(name), data } });
  }

  struct(category: string, action: string, afterMs = 1000): Hit {
    this.cursor += afterMs;
    return this.push('struct', this.cursor, { struct: { category, action } });
  }

  transaction(orderId: string, total: number, afterMs = 500): Hit {
    this.cursor += afterMs;
    return this.push('transaction', this.cursor, { transaction: { orderId, total, currency: 'USD' } });
  }
}
