// What the events of one request share, worked out once for all of them: the request's metadata
// read once, and the client columns of its user agent and address (UA parse, bot check, geo,
// anonymised IP). An event's own ua or ip parameter overrides the request's, for that event only.
import { clientFields, type ClientFields } from './client-fields.ts';
import type { EnrichContext } from './enrich-context.ts';

export interface EventMeta {
  readonly collectorTstamp: number;
  /** The client address as the collector saw it (socket or trusted proxy header). */
  readonly ip?: string;
  readonly useragent?: string;
  /** The `sp` cookie's network user id. */
  readonly networkUserId?: string;
  /** Lower-cased request headers; `referer` and `sp-anonymous` are read. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  /** Where the event came from, kept on bad rows (tp2, pixel, batch, import). */
  readonly source?: string;
  /** The visitor had withdrawn consent before this request (the collector's opt-out cookie). */
  readonly optedOut?: boolean;
}

/** Snowplow's id for anonymous (SP-Anonymous) requests. */
export const ANONYMOUS_NUID = '00000000-0000-0000-0000-000000000000';

function firstIp(v: string): string {
  return v.split(/[,| ]/)[0].trim();
}

export class RequestEnrichment {
  readonly collectorTstamp: number;
  /** When the request was enriched: one reading for its events (they are enriched within microseconds). */
  readonly etlTstamp = Date.now();
  readonly source: string | undefined;
  /** SP-Anonymous: no IP and the all-zero network user id. */
  readonly anonymous: boolean;
  readonly networkUserId: string | undefined;
  readonly referer: string | undefined;
  /** Consent withdrawn as of the event being enriched: a consent event in the request changes it
   *  for itself and the events after it. */
  optedOut: boolean;
  private readonly ip: string | undefined;
  private readonly useragent: string | undefined;
  /** The request's own client columns for the last platform asked (bot rules depend on it). */
  private platform: string | undefined;
  private client: ClientFields | undefined;

  constructor(readonly meta: EventMeta, readonly ctx: EnrichContext) {
    this.collectorTstamp = meta.collectorTstamp;
    this.source = meta.source;
    this.anonymous = meta.headers?.['sp-anonymous'] !== undefined;
    this.networkUserId = meta.networkUserId;
    this.referer = meta.headers?.referer;
    this.optedOut = meta.optedOut === true;
    this.ip = this.anonymous ? undefined : meta.ip;
    this.useragent = meta.useragent || undefined;
  }

  /** The event's user agent: its ua parameter, else the request's. */
  useragentOf(uaParam: string | undefined): string | undefined {
    return uaParam || this.useragent;
  }

  clientFieldsOf(platform: string | undefined, uaParam: string | undefined, ipParam: string | undefined): ClientFields {
    // Without consent nothing is derived from the address either (as with SP-Anonymous: no geo).
    if (this.optedOut) return clientFields(this.ctx, uaParam || this.useragent, !!uaParam, platform, undefined);
    const ownIp = !!ipParam && !this.anonymous;
    if (uaParam || ownIp) {
      return clientFields(this.ctx, uaParam || this.useragent, !!uaParam, platform, ownIp ? firstIp(ipParam!) : this.ip);
    }
    if (this.client === undefined || platform !== this.platform) {
      this.client = clientFields(this.ctx, this.useragent, false, platform, this.ip);
      this.platform = platform;
    }
    return this.client;
  }
}
