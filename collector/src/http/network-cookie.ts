// The `sp` network user id cookie (stream-collector Service.cookieHeader): the id comes from the
// nuid query parameter, else the existing cookie, else a new UUID; the cookie is re-set on every
// response so its expiry slides. SP-Anonymous requests get no cookie, and an old one is expired.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { CookieConfig } from '../config.ts';

const UUIDISH = /^[0-9A-Za-z-]{1,128}$/;

export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

function domainFor(req: IncomingMessage, config: CookieConfig): string | undefined {
  const origin = req.headers.origin;
  if (config.domains.length === 0 || !origin) return config.fallbackDomain;
  let host: string | undefined;
  try { host = new URL(origin).hostname.toLowerCase(); } catch { host = undefined; }
  const match = host ? config.domains.find((d) => host === d || host.endsWith(`.${d}`)) : undefined;
  return match ?? config.fallbackDomain;
}

/** `Expires` is the same text for every response within a second: formatted once per second. */
let expiresAt = { second: -1, maxAge: -1, text: '' };

function expires(maxAge: number): string {
  const now = Date.now();
  const second = Math.floor(now / 1000);
  if (expiresAt.second !== second || expiresAt.maxAge !== maxAge) {
    expiresAt = { second, maxAge, text: new Date(now + maxAge * 1000).toUTCString() };
  }
  return expiresAt.text;
}

function serialize(name: string, value: string, maxAge: number, domain: string | undefined, config: CookieConfig): string {
  return `${name}=${value}; Path=/; Max-Age=${maxAge}; Expires=${expires(maxAge)}${domain ? `; Domain=${domain}` : ''}; SameSite=${config.sameSite}`
    + `${config.secure ? '; Secure' : ''}${config.httpOnly ? '; HttpOnly' : ''}`;
}

/** The cookie that remembers a withdrawal of consent: its presence alone means opted out. */
export function optOutCookieName(config: CookieConfig): string {
  return `${config.name}_optout`;
}

/** Sets (renewing its expiry, as `sp`) or expires the opt-out cookie. */
export function optOutSetCookie(req: IncomingMessage, config: CookieConfig, optedOut: boolean): string {
  return serialize(optOutCookieName(config), optedOut ? '1' : '', optedOut ? config.maxAgeSeconds : 0, domainFor(req, config), config);
}

export interface NetworkId {
  readonly id?: string;
  readonly setCookie?: string;
  /** The id was made up for this request (no cookie, no nuid parameter): it names no returning sender. */
  readonly fresh?: true;
}

export function networkUserId(req: IncomingMessage, query: URLSearchParams | undefined, config: CookieConfig, anonymous: boolean): NetworkId {
  if (!config.enabled) return {};
  const existing = readCookie(req.headers.cookie, config.name);
  if (anonymous) {
    return existing ? { setCookie: serialize(config.name, '', 0, domainFor(req, config), config) } : {};
  }
  const fromQuery = query?.get('nuid');
  const known = fromQuery && UUIDISH.test(fromQuery) ? fromQuery : existing && UUIDISH.test(existing) ? existing : undefined;
  const id = known ?? randomUUID();
  return { id, setCookie: serialize(config.name, id, config.maxAgeSeconds, domainFor(req, config), config), ...(known ? {} : { fresh: true as const }) };
}
