// A tp2 request as the spool keeps it (the idea of Snowplow's CollectorPayload): the body verbatim
// plus the request metadata enrichment needs. The request path then writes one line per request
// and never serialises events one by one; validation and enrichment run after the spool.
export interface RawRequestMeta {
  /** collector_tstamp, ms. */
  readonly t: number;
  /** Where the request came from, kept on bad rows (tp2). */
  readonly src: string;
  /** The client address as resolved at receive time (absent for SP-Anonymous). */
  readonly ip?: string;
  readonly ua?: string;
  /** The `sp` cookie's network user id. */
  readonly nuid?: string;
  /** 1 when nuid was made up for this request (the sender had no cookie): it keys no Kafka partition. */
  readonly nuidNew?: 1;
  /** The SP-Anonymous header's value when present. */
  readonly anon?: string;
  /** 1 when the visitor had withdrawn consent (the opt-out cookie) before this request. */
  readonly oo?: 1;
  readonly refr?: string;
  /** The request's query string; its parameters apply to every event of the body. */
  readonly q?: string;
}

export interface RawRecord { readonly m: RawRequestMeta; readonly body: unknown }

/** Every raw line starts with this; older spool lines (enriched events, {"bad": …}) never do. */
const MARK = '{"wc_raw":1,"m":';

/** One NDJSON line. `body` must be valid JSON (checked before): a newline outside a JSON string is
 *  whitespace, and inside one it must be escaped, so turning CR/LF into spaces keeps the value. */
export function encodeRawRecord(meta: RawRequestMeta, body: string): string {
  const flat = body.includes('\n') || body.includes('\r') ? body.replace(/[\r\n]/g, ' ') : body;
  return `${MARK}${JSON.stringify(meta)},"body":${flat}}\n`;
}

export function isRawRecord(line: string): boolean {
  return line.startsWith(MARK);
}

/** Undefined for a torn line (a crash mid-write: never acknowledged). */
export function decodeRawRecord(line: string): RawRecord | undefined {
  try {
    const r = JSON.parse(line) as { m?: RawRequestMeta; body?: unknown };
    return r.m && typeof r.m.t === 'number' ? { m: r.m, body: r.body } : undefined;
  } catch {
    return undefined;
  }
}
