// User agent → br_*, os_*, dvce_* columns (the fields Snowplow's user_agent_utils filled),
// parsed with ua-parser-js and cached per distinct UA string.
import { UAParser } from 'ua-parser-js';
import { LruCache } from './lru-cache.ts';

export interface UserAgentFields {
  readonly br_name: string | null; readonly br_family: string | null; readonly br_version: string | null;
  readonly br_type: string | null; readonly br_renderengine: string | null;
  readonly os_name: string | null; readonly os_family: string | null; readonly os_manufacturer: string | null;
  readonly dvce_type: string | null; readonly dvce_ismobile: boolean | null;
}

const manufacturers: Record<string, string> = {
  Windows: 'Microsoft Corporation', 'Windows Phone': 'Microsoft Corporation', Xbox: 'Microsoft Corporation',
  macOS: 'Apple Inc.', iOS: 'Apple Inc.', iPadOS: 'Apple Inc.', watchOS: 'Apple Inc.', tvOS: 'Apple Inc.',
  Android: 'Google Inc.', 'Chrome OS': 'Google Inc.', Chromecast: 'Google Inc.', Fuchsia: 'Google Inc.',
  HarmonyOS: 'Huawei', Tizen: 'Samsung', KAIOS: 'KaiOS Technologies', BlackBerry: 'BlackBerry',
  PlayStation: 'Sony', Ubuntu: 'Canonical', Linux: 'Other',
};

const deviceTypes: Record<string, string> = {
  mobile: 'Mobile', tablet: 'Tablet', smarttv: 'Smart TV', console: 'Game console',
  wearable: 'Wearable', xr: 'XR headset', embedded: 'Embedded',
};

const EMPTY: UserAgentFields = Object.freeze({
  br_name: null, br_family: null, br_version: null, br_type: null, br_renderengine: null,
  os_name: null, os_family: null, os_manufacturer: null, dvce_type: null, dvce_ismobile: null,
});

const join = (a?: string, b?: string): string | null => (a ? (b ? `${a} ${b}` : a) : null);

export function parseUserAgent(ua: string): UserAgentFields {
  const r = UAParser(ua);
  const { browser, os, device, engine } = r;
  const type = device.type;
  return Object.freeze({
    br_name: join(browser.name, browser.major),
    br_family: browser.name ?? null,
    br_version: browser.version ?? null,
    br_type: browser.type ? browser.type[0].toUpperCase() + browser.type.slice(1) : browser.name ? 'Browser' : null,
    br_renderengine: engine.name ?? null,
    os_name: join(os.name, os.version),
    os_family: os.name ?? null,
    os_manufacturer: os.name ? (manufacturers[os.name] ?? 'Other') : null,
    dvce_type: type ? (deviceTypes[type] ?? type) : (browser.name || os.name ? 'Computer' : null),
    dvce_ismobile: type === 'mobile' || type === 'tablet' || type === 'wearable' ? true : browser.name || os.name ? false : null,
  });
}

/** Returns a parser that remembers the last `capacity` distinct user agents. */
export function createUserAgentEnricher(capacity: number): (ua: string | null | undefined) => UserAgentFields {
  const cache = new LruCache<string, UserAgentFields>(capacity);
  return (ua) => {
    if (!ua) return EMPTY;
    let fields = cache.get(ua);
    if (!fields) {
      fields = parseUserAgent(ua);
      cache.set(ua, fields);
    }
    return fields;
  };
}
