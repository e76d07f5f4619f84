// Bot flag for the is_bot column: isbot's crawler list plus rules for traffic that isbot lets
// through (headless browsers, HTTP libraries, browser UAs from cloud hosts' automation, no UA at
// all from a browser platform). Bots are kept and flagged, never dropped, so the flag can be
// revisited in SQL.
import { isbot } from 'isbot';
import { LruCache } from './lru-cache.ts';

const EXTRA = /headlesschrome|phantomjs|slimerjs|electron\/.*\bheadless|puppeteer|playwright|selenium|webdriver|python-requests|python-urllib|aiohttp|httpx|go-http-client|okhttp|java\/\d|libwww-perl|curl\/|wget\/|node-fetch|axios\/|undici|postmanruntime|insomnia|scrapy|httpclient|guzzle|\bbot\b|\bspider\b|crawler|lighthouse|pagespeed|gtmetrix|pingdom|uptimerobot|statuscake|datadog|newrelicpinger|site24x7/i;

/** Platforms that run in a user's browser or device, where a missing UA is itself suspicious. */
const CLIENT_PLATFORMS = new Set(['web', 'mob', 'app', 'tv', 'headset']);

const botUa = (ua: string): boolean => isbot(ua) || EXTRA.test(ua);

export function isBotTraffic(useragent: string | null | undefined, platform: string | null | undefined, uaFromParam: boolean,
  check: (ua: string) => boolean = botUa): boolean {
  const clientSide = platform ? CLIENT_PLATFORMS.has(platform) : true;
  // A server-side tracker's own HTTP library UA says nothing about the user; only an explicit ua param does.
  if (!clientSide && !uaFromParam) return false;
  if (!useragent || useragent.trim().length < 8) return clientSide;
  return check(useragent);
}

/** isbot's pattern is one very large regex; a UA seen before is answered from the cache. */
export function createBotCheck(capacity: number): (ua: string) => boolean {
  const cache = new LruCache<string, boolean>(capacity);
  return (ua) => {
    let hit = cache.get(ua);
    if (hit === undefined) {
      hit = botUa(ua);
      cache.set(ua, hit);
    }
    return hit;
  };
}
