// One visit of the demo site as tracker hits: landing from a traffic source, a few page views
// chosen by Zipf popularity, page pings while the visitor is active (activity tracking with
// minimumVisitLength 5 s and heartbeatDelay 10 s, as the model assumes), custom events, and
// the shop's checkout funnel with drop-off at every step.
import { botUserAgents, campaigns, checkoutPages, pages, referralSites, searchEngines, searchTerms, socialSites, type Acquisition, type Channel, type Page } from './catalog.ts';
import { demoSchema, type Hit, type TrackerDevice } from './hit.ts';
import type { Random } from './prng.ts';

export interface Visitor extends TrackerDevice {
  readonly isBot: boolean;
  uid?: string;
  sessions: number;
  lastEnd: number;
}

export interface PlannedSession {
  readonly visitor: Visitor;
  readonly sid: string;
  readonly vid: number;
  readonly start: number;
  readonly end: number;
  readonly hits: readonly Hit[];
}

export const MIN_VISIT_S = 5;
export const HEARTBEAT_S = 10;

export function pickAcquisition(rng: Random, returning: boolean): Acquisition {
  const channel = rng.weighted<Channel>([
    ['direct', returning ? 45 : 25], ['organic', 30], ['social', 12], ['email', returning ? 10 : 4],
    ['cpc', 8], ['referral', 10], ['display', 2],
  ]);
  const utm = (medium: string, c: { source: string; campaign: string }) =>
    `utm_source=${c.source}&utm_medium=${medium}&utm_campaign=${c.campaign}`;
  switch (channel) {
    case 'organic': return { channel, referrer: rng.weighted(searchEngines) + encodeURIComponent(rng.pick(searchTerms)) };
    case 'social': return { channel, referrer: rng.weighted(socialSites) };
    case 'referral': return { channel, referrer: rng.pick(referralSites) };
    case 'email': return { channel, query: utm('email', rng.pick(campaigns.email)) };
    case 'cpc': return { channel, referrer: 'https://www.google.com/', query: `${utm('cpc', rng.pick(campaigns.cpc))}&gclid=${rng.uuid().slice(0, 12)}` };
    case 'display': return { channel, query: utm('display', rng.pick(campaigns.display)) };
    default: return { channel };
  }
}

/** Builds the hits of one session starting at `start` (ms). */
export function planSession(rng: Random, visitor: Visitor, start: number, host: string): PlannedSession {
  visitor.sessions += 1;
  const sid = rng.uuid();
  const vid = visitor.sessions;
  const hits: Hit[] = [];
  let t = start;
  let referrer: string | undefined;
  let previousUrl: string | undefined;
  const base = { appId: visitor.appId, duid: visitor.duid, sid, vid, ua: visitor.ua, ip: visitor.ip, lang: visitor.lang, tz: visitor.tz, screen: visitor.screen, viewport: visitor.viewport };
  let page: Page & { pageViewId: string; url: string } = undefined!;

  const push = (extra: Partial<Hit> & Pick<Hit, 'kind'>) => {
    hits.push({ ...base, uid: visitor.uid, eventId: rng.uuid(), time: t, pageViewId: page.pageViewId, url: page.url, title: page.title, referrer, docHeight: page.height, ...extra });
  };
  const view = (p: Page, query?: string) => {
    page = { ...p, pageViewId: rng.uuid(), url: `https://${host}${p.path}${query ? `?${query}` : ''}` };
    push({ kind: 'page_view' });
  };
  /** Stays on the page for `dwell` seconds, pinging while active, then moves the clock on. */
  const read = (dwell: number) => {
    const vh = visitor.viewport[1];
    let y = 0;
    for (let s = MIN_VISIT_S; s <= dwell; s += HEARTBEAT_S) {
      const from = y;
      y = Math.min(Math.max(0, page.height - vh), y + rng.int(100, 900));
      if (!rng.chance(0.92)) continue; // no activity in this heartbeat: no ping
      const at = t;
      t = at + s * 1000;
      push({ kind: 'page_ping', scrollY: [from, y] });
      t = at;
    }
    t += Math.round(dwell * 1000) + rng.int(300, 2500);
  };
  const nextUrl = () => { previousUrl = page.url; referrer = previousUrl; };

  const returning = vid > 1;
  if (visitor.isBot) {
    const n = rng.int(1, 3);
    for (let i = 0; i < n; i++) { view(pages[rng.zipf(pages.length, 0.6)]); nextUrl(); t += rng.int(200, 3000); }
  } else {
    const acq = pickAcquisition(rng, returning);
    referrer = acq.referrer;
    const landing = acq.channel === 'email' || acq.channel === 'cpc' ? pages[rng.pick([1, 8, 9, 10])] : pages[rng.zipf(pages.length)];
    const bounce = rng.chance(returning ? 0.3 : 0.42);
    view(landing, acq.query);
    read(bounce ? rng.logNormal(4, 0.6) : rng.logNormal(28, 1));
    const more = bounce ? 0 : Math.min(10, Math.floor(rng.logNormal(1.6, 0.9)));
    for (let i = 0; i < more; i++) {
      nextUrl();
      const p = pages[rng.zipf(pages.length)];
      view(p);
      if (p.path.startsWith('/blog/') && rng.chance(0.2)) push({ kind: 'struct', struct: { category: 'video', action: 'play', label: p.path, value: rng.int(5, 120) } });
      if (p.path.startsWith('/docs/') && rng.chance(0.3)) push({ kind: 'struct', struct: { category: 'docs', action: 'copy_code', label: p.path } });
      if (p.path === '/signup' && !visitor.uid && rng.chance(0.3)) {
        read(rng.logNormal(20, 0.5));
        visitor.uid = `user-${visitor.duid.slice(0, 8)}`;
        push({ kind: 'self_describing', uid: visitor.uid, event: { schema: demoSchema('sign_up'), data: { plan: rng.pick(['free', 'pro', 'team']) } } });
        continue;
      }
      if (p.path.startsWith('/products/') && rng.chance(0.4)) { checkout(p); break; }
      read(rng.logNormal(25, 1));
    }
  }

  function checkout(product: Page) {
    const sku = product.path.split('/')[2];
    const price = [29, 49, 99, 199, 499][rng.int(0, 4)];
    read(rng.logNormal(30, 0.6));
    push({ kind: 'self_describing', event: { schema: demoSchema('add_to_cart'), data: { sku, price, quantity: 1 } } });
    t += 500;
    nextUrl(); view(checkoutPages.cart); read(rng.logNormal(15, 0.6));
    if (!rng.chance(0.6)) return;
    nextUrl(); view(checkoutPages.checkout);
    push({ kind: 'self_describing', event: { schema: demoSchema('begin_checkout'), data: { value: price } } });
    read(rng.logNormal(60, 0.5));
    if (!rng.chance(0.65)) return;
    const orderId = `order-${rng.uuid().slice(0, 8)}`;
    push({ kind: 'self_describing', event: { schema: demoSchema('purchase'), data: { order_id: orderId, value: price, currency: 'USD' } } });
    push({ kind: 'transaction', transaction: { orderId, total: price, currency: 'USD' } });
    t += 800;
    nextUrl(); view(checkoutPages.complete); read(rng.logNormal(8, 0.4));
  }

  const end = hits.reduce((m, h) => Math.max(m, h.time), start);
  visitor.lastEnd = end;
  return { visitor, sid, vid, start, end, hits };
}

export function newVisitor(rng: Random, appId: string, isBot: boolean, device: { ua: string; screen: readonly [number, number]; viewport: readonly [number, number] }, geo: { ip: string; lang: string; tz: string }): Visitor {
  return {
    appId, duid: rng.uuid(), ua: isBot ? rng.pick(botUserAgents) : device.ua, ip: geo.ip, lang: geo.lang, tz: geo.tz,
    screen: device.screen, viewport: device.viewport, isBot, sessions: 0, lastEnd: 0,
  };
}
