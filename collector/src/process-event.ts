// One tracker event (a flat map of tp2 parameters) → one enriched atomic event or one bad row:
// validate → map parameters → enrich. Shared by the HTTP collector, `webcube import` and the demo.
import type { AtomicEvent } from './atomic/columns.ts';
import { makeBadRow, type BadRow } from './protocol/bad-row.ts';
import { eventTypes } from './protocol/event-types.ts';
import { FieldError, uuid } from './validate/field-parsers.ts';
import { applyFieldLimits } from './validate/field-limits.ts';
import { newAtomicRow } from './validate/atomic-row.ts';
import { mapTrackerParams } from './validate/map-tracker-params.ts';
import { checkContexts, checkUnstructEvent } from './validate/self-describing.ts';
import { anonymiseIp } from './enrich/anonymise-ip.ts';
import { isBotTraffic } from './enrich/bot.ts';
import { campaignFields } from './enrich/campaign.ts';
import { crossDomainFields } from './enrich/cross-domain.ts';
import { derivedTstamp } from './enrich/derived-tstamp.ts';
import type { EnrichContext } from './enrich/enrich-context.ts';
import { eventFingerprint, uuidFromText } from './enrich/fingerprint.ts';
import { classifyReferer } from './enrich/referer.ts';
import { cleanUrl, setUrlColumns } from './enrich/url-parts.ts';

export { createEnrichContext, defaultEnrichOptions, type EnrichContext, type EnrichOptions } from './enrich/enrich-context.ts';
export type { BadRow } from './protocol/bad-row.ts';

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
}

export interface ProcessResult { readonly event?: AtomicEvent; readonly bad?: BadRow }

/** Snowplow's id for anonymous (SP-Anonymous) requests. */
export const ANONYMOUS_NUID = '00000000-0000-0000-0000-000000000000';

function rawSize(params: Readonly<Record<string, string>>): number {
  let n = 0;
  for (const k in params) n += k.length + (typeof params[k] === 'string' ? params[k].length : 16);
  return n;
}

/** Copies the non-null fields only: absent means NULL in the contract, and every byte is spooled. */
function assignPresent(row: Record<string, unknown>, fields: object): void {
  for (const k in fields) {
    const v = (fields as Record<string, unknown>)[k];
    if (v !== null && v !== undefined) row[k] = v;
  }
}

function bad(params: Readonly<Record<string, string>>, meta: EventMeta, reason: string): ProcessResult {
  return { bad: makeBadRow(JSON.stringify(params), reason, meta.collectorTstamp, meta.source) };
}

function firstIp(v: string): string {
  return v.split(/[,| ]/)[0].trim();
}

export function processTrackerEvent(params: Readonly<Record<string, string>>, meta: EventMeta, ctx: EnrichContext): ProcessResult {
  const size = rawSize(params);
  if (size > ctx.options.maxEventBytes) return bad(params, meta, `size_violation: event is ${size} bytes, the limit is ${ctx.options.maxEventBytes}`);

  // Only present keys (absent means NULL), in a fast-properties object: see atomic-row.ts.
  const row = newAtomicRow();
  row.collector_tstamp = meta.collectorTstamp;
  row.etl_tstamp = Date.now();
  row.v_collector = ctx.collectorVersion;
  row.v_etl = ctx.etlVersion;
  let ue, co;
  try {
    mapTrackerParams(params, row);
    row.event_id = params.eid ? uuid('eid', params.eid) : undefined;
    if (params.ue_pr !== undefined || params.ue_px !== undefined) {
      ue = checkUnstructEvent(params.ue_pr, params.ue_px);
      if (!ue.ok) throw new FieldError(ue.reason);
    }
    if (params.co !== undefined || params.cx !== undefined) {
      co = checkContexts(params.co, params.cx);
      if (!co.ok) throw new FieldError(co.reason);
    }
  } catch (error) {
    if (error instanceof FieldError) return bad(params, meta, `schema_violation: ${error.message}`);
    throw error;
  }

  const fingerprint = eventFingerprint(params);
  row.event_fingerprint = fingerprint;
  // Without an eid, a hash of the event keeps re-sent copies deduplicable (Snowplow would draw a random one).
  row.event_id ??= uuidFromText(`${fingerprint}/${meta.collectorTstamp}`);

  const type = eventTypes[params.e];
  const key = ue?.ok ? ue.value.key : undefined;
  row.event_vendor = key?.vendor ?? type.vendor;
  row.event_name = key?.name ?? type.name;
  row.event_format = key?.format ?? (type.vendor ? 'jsonschema' : undefined);
  row.event_version = key?.version ?? (type.vendor ? '1-0-0' : undefined);
  if (ue?.ok) row.unstruct_event = ue.value.json;
  if (co?.ok) {
    row.contexts = co.value.json;
    row.web_page_id = co.value.webPageId;
  }

  const anonymous = meta.headers?.['sp-anonymous'] !== undefined;
  row.network_userid = anonymous ? ANONYMOUS_NUID : (params.tnuid || params.nuid || meta.networkUserId);
  const ip = anonymous ? undefined : (params.ip ? firstIp(params.ip) : meta.ip);
  const uaFromParam = !!params.ua;
  const useragent = params.ua || meta.useragent || undefined;
  row.useragent = useragent;

  if (!row.page_url && meta.headers?.referer) row.page_url = meta.headers.referer;
  if (typeof row.page_url === 'string') row.page_url = cleanUrl(row.page_url);
  const page = ctx.parseUrl(row.page_url as string | null);
  const refr = ctx.parseUrl(row.page_referrer as string | null);
  setUrlColumns(row, 'page', page);
  setUrlColumns(row, 'refr', refr);
  assignPresent(row, classifyReferer(refr, page, ctx.options.internalDomains));
  assignPresent(row, campaignFields(page));
  assignPresent(row, crossDomainFields(page));

  row.derived_tstamp = derivedTstamp(meta.collectorTstamp, row.dvce_created_tstamp as number | undefined,
    row.dvce_sent_tstamp as number | undefined, row.true_tstamp as number | undefined);

  assignPresent(row, ctx.userAgent(useragent));
  if (ctx.options.botDetection) row.is_bot = isBotTraffic(useragent, row.platform as string, uaFromParam, ctx.isBotUa);

  if (ip) {
    const geo = ctx.geo?.(ip);
    if (geo) assignPresent(row, geo);
    row.user_ipaddress = anonymiseIp(ip, ctx.options.anonOctets, ctx.options.anonSegments);
  }

  const cut = applyFieldLimits(row);
  if (cut.length > 0) row.etl_tags = JSON.stringify(cut.map((c) => `truncated:${c}`));
  return { event: row };
}
