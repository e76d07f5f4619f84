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
  let host: string | undefined;
  try { host = origin ? new URL(origin).hostname.toLowerCase() : undefined; } catch { host = undefined; }
  const match = host ? config.domains.find((d) => host === d || host.endsWith(`.${d}`)) : undefined;
  return match ?? config.fallbackDomain;
}

function serialize(name: string, value: string, maxAge: number, domain: string | undefined, config: CookieConfig): string {
  const parts = [`${name}=${value}`, 'Path=/', `Max-Age=${maxAge}`, `Expires=${new Date(Date.now() + maxAge * 1000).toUTCString()}`];
  if (domain) parts.push(`Domain=${domain}`);
  parts.push(`SameSite=${config.sameSite}`);
  if (config.secure) parts.push('Secure');
  if (config.httpOnly) parts.push('HttpOnly');
  return parts.join('; ');
}

export interface NetworkId { readonly id?: string; readonly setCookie?: string }

export function networkUserId(req: IncomingMessage, query: URLSearchParams | undefined, config: CookieConfig, anonymous: boolean): NetworkId {
  if (!config.enabled) return {};
  const existing = readCookie(req.headers.cookie, config.name);
  if (anonymous) {
    return existing ? { setCookie: serialize(config.name, '', 0, domainFor(req, config), config) } : {};
  }
  const fromQuery = query?.get('nuid');
  const id = fromQuery && UUIDISH.test(fromQuery) ? fromQuery : existing && UUIDISH.test(existing) ? existing : randomUUID();
  return { id, setCookie: serialize(config.name, id, config.maxAgeSeconds, domainFor(req, config), config) };
}
