// Which identifiers a request may carry, decided at receive time: SP-Anonymous (the tracker's
// server anonymisation) and the opt-out cookie the collector sets when a visitor withdraws
// consent. An opted-out request is received like an SP-Anonymous one (no IP, no network id, the
// `sp` cookie expired) unless it carries a new grant; enrichment then drops user_id and
// domain_userid too, from the first event under withdrawn consent on.
import type { IncomingMessage } from 'node:http';
import type { CookieConfig } from '../config.ts';
import type { ConsentChange } from '../enrich/consent.ts';
import { networkUserId, optOutCookieName, optOutSetCookie, readCookie } from './network-cookie.ts';

export interface RequestPrivacy {
  /** Receive without IP or network user id (SP-Anonymous, or opted out with no grant in the request). */
  readonly anonymous: boolean;
  /** Opted out when the request's first event is enriched. */
  readonly optedOut: boolean;
  readonly networkUserId?: string;
  /** networkUserId was made up for this request. */
  readonly networkUserIdFresh?: true;
  readonly setCookies: string[];
}

const NONE: readonly ConsentChange[] = Object.freeze([]);

export function requestPrivacy(req: IncomingMessage, query: URLSearchParams | undefined, config: CookieConfig,
  honourConsent: boolean, changes: readonly ConsentChange[] = NONE): RequestPrivacy {
  const spAnonymous = req.headers['sp-anonymous'] !== undefined;
  const hadOptOut = honourConsent && config.enabled && readCookie(req.headers.cookie, optOutCookieName(config)) !== undefined;
  const last = honourConsent ? changes[changes.length - 1] : undefined;
  const optedOutAfter = last ? last === 'withdraw' : hadOptOut;
  const anonymous = spAnonymous || (hadOptOut && !changes.includes('grant'));
  const nuid = networkUserId(req, query, config, anonymous);
  // The cookies answered follow the state after the request: opted out keeps no network id.
  const cookie = optedOutAfter && !anonymous ? networkUserId(req, query, config, true).setCookie : nuid.setCookie;
  const setCookies: string[] = cookie ? [cookie] : [];
  // SP-Anonymous answers set no cookie (Snowplow's collector), so the opt-out cookie stays as it is.
  if (hadOptOut !== optedOutAfter || optedOutAfter) {
    if (config.enabled && !spAnonymous) setCookies.push(optOutSetCookie(req, config, optedOutAfter));
  }
  return { anonymous, optedOut: hadOptOut, ...(nuid.id ? { networkUserId: nuid.id } : {}), ...(nuid.fresh ? { networkUserIdFresh: true as const } : {}), setCookies };
}
