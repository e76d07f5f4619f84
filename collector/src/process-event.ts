// One tracker event (a flat map of tp2 parameters) → one enriched atomic event or one bad row:
// validate → map parameters → enrich. Shared by the HTTP collector, `webcube import` and the demo.
// A request's events share its metadata: RequestEnrichment works that part out once per request.
import type { AtomicEvent } from './atomic/columns.ts';
import { logFailure } from './log-failure.ts';
import { makeBadRow, type BadRow } from './protocol/bad-row.ts';
import { eventTypes } from './protocol/event-types.ts';
import { FieldError, uuid } from './validate/field-parsers.ts';
import { applyFieldLimits } from './validate/field-limits.ts';
import { mapTrackerParams } from './validate/map-tracker-params.ts';
import { readParams, type Params } from './validate/param-shape.ts';
import { columnIndexes, RowBuilder } from './validate/row-builder.ts';
export type { RowBuilder } from './validate/row-builder.ts';
import { checkContexts, checkUnstructEvent } from './validate/self-describing.ts';
import { applyClientFields } from './enrich/client-fields.ts';
import { derivedTstamp } from './enrich/derived-tstamp.ts';
import type { EnrichContext } from './enrich/enrich-context.ts';
import { applyPatch } from './enrich/field-patch.ts';
import { eventFingerprint, uuidFromText } from './enrich/fingerprint.ts';
import { ANONYMOUS_NUID, RequestEnrichment, type EventMeta } from './enrich/request-enrichment.ts';
import { cleanUrl } from './enrich/url-parts.ts';
import { consentChangeOfJson, withoutSessionUserIds } from './enrich/consent.ts';

export { createEnrichContext, defaultEnrichOptions, type EnrichContext, type EnrichOptions } from './enrich/enrich-context.ts';
export { ANONYMOUS_NUID, RequestEnrichment, type EventMeta } from './enrich/request-enrichment.ts';
export type { BadRow } from './protocol/bad-row.ts';

export interface ProcessResult { readonly event?: AtomicEvent; readonly bad?: BadRow }

/** Takes enriched events as they are made: straight from the row builder when it can (the Parquet
 *  chunk builder reads the columns by index, with no object in between), or as an object. */
export interface EnrichedEventTarget {
  add(event: AtomicEvent): void;
  /** `row` is reused for the next event: read it now. */
  addRow(row: RowBuilder): void;
  /** Events taken so far (since the target was last emptied). */
  readonly rowCount: number;
  /** Drops the events taken after the first `rows`: a record that failed halfway leaves none behind. */
  truncate(rows: number): void;
}

/** A target that collects every event as an object into `events`. */
export function eventArrayTarget(events: AtomicEvent[]): EnrichedEventTarget {
  return {
    add: (e) => { events.push(e); },
    addRow: (row) => { events.push(row.build()); },
    get rowCount() { return events.length; },
    truncate: (rows) => { events.length = Math.min(events.length, rows); },
  };
}

const C = columnIndexes('collector_tstamp', 'etl_tstamp', 'v_collector', 'v_etl', 'event_id', 'event_fingerprint',
  'event_vendor', 'event_name', 'event_format', 'event_version', 'unstruct_event', 'contexts', 'web_page_id', 'network_userid',
  'useragent', 'page_url', 'page_referrer', 'derived_tstamp', 'dvce_created_tstamp', 'dvce_sent_tstamp', 'true_tstamp', 'platform',
  'user_id', 'domain_userid', 'refr_domain_userid', 'user_fingerprint');

/** What a visitor who withdrew consent is not tracked by (besides network_userid and the IP). */
const IDENTIFIERS = [C.user_id, C.domain_userid, C.refr_domain_userid, C.user_fingerprint];

/** One for every event: events are processed one at a time, and start() empties it. */
const row = new RowBuilder();

function rawSize({ shape, values }: Params): number {
  let n = shape.keyChars;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    n += typeof v === 'string' ? v.length : 16;
  }
  return n;
}

function bad(params: Readonly<Record<string, string>>, request: RequestEnrichment, reason: string): BadRow {
  return makeBadRow(JSON.stringify(params), reason, request.collectorTstamp, request.source);
}

export function processTrackerEvent(params: Readonly<Record<string, string>>, meta: EventMeta, ctx: EnrichContext): ProcessResult {
  return processRequestEvent(params, new RequestEnrichment(meta, ctx));
}

/** processTrackerEvent for one event of a request whose shared part is already worked out. */
export function processRequestEvent(params: Readonly<Record<string, string>>, request: RequestEnrichment): ProcessResult {
  const failed = enrichGuarded(params, request);
  return failed ? { bad: failed } : { event: rowObject() };
}

/** processRequestEvent with the event handed to `target`; returns the bad row, if any. */
export function processRequestEventInto(params: Readonly<Record<string, string>>, request: RequestEnrichment, target: EnrichedEventTarget): BadRow | undefined {
  const failed = enrichGuarded(params, request);
  if (failed) return failed;
  // Over-long values are cut on the object (rare).
  if (row.anyOverLimit()) target.add(rowObject());
  else target.addRow(row);
  return undefined;
}

/** The row builder's event as an object, over-long values cut. */
function rowObject(): AtomicEvent {
  const overLimit = row.anyOverLimit();
  const event = row.build();
  if (overLimit) {
    const cut = applyFieldLimits(event);
    if (cut.length > 0) event.etl_tags = JSON.stringify(cut.map((c) => `truncated:${c}`));
  }
  return event;
}

/** enrichIntoRow, with any failure the checks did not foresee made the event's bad row (and logged
 *  with its cause): one hostile event must never fail its request or, after the spool, its segment. */
function enrichGuarded(params: Readonly<Record<string, string>>, request: RequestEnrichment): BadRow | undefined {
  try {
    return enrichIntoRow(params, request);
  } catch (error) {
    logFailure('enrichment failed on an event (kept as a bad row)', error);
    return bad(params, request, `enrichment_failure: ${(error instanceof Error ? error.message : String(error)).slice(0, 500)}`);
  }
}

/** Validates, maps and enriches one event into `row`; a bad row when it fails. */
function enrichIntoRow(params: Readonly<Record<string, string>>, request: RequestEnrichment): BadRow | undefined {
  const ctx = request.ctx;
  const read = readParams(params);
  const size = rawSize(read);
  if (size > ctx.options.maxEventBytes) return bad(params, request, `size_violation: event is ${size} bytes, the limit is ${ctx.options.maxEventBytes}`);

  // Absent means NULL: a column is left out or set to undefined (which every reader skips).
  row.start();
  row.set(C.collector_tstamp, request.collectorTstamp);
  row.set(C.etl_tstamp, request.etlTstamp);
  row.set(C.v_collector, ctx.collectorVersion);
  row.set(C.v_etl, ctx.etlVersion);
  let ue, co;
  try {
    mapTrackerParams(params, row, read);
    row.set(C.event_id, params.eid ? uuid('eid', params.eid) : undefined);
    if (params.ue_pr !== undefined || params.ue_px !== undefined) {
      ue = checkUnstructEvent(params.ue_pr, params.ue_px, ctx.options.maxJsonDepth);
      if (!ue.ok) throw new FieldError(ue.reason);
    }
    if (params.co !== undefined || params.cx !== undefined) {
      co = checkContexts(params.co, params.cx, ctx.options.maxJsonDepth);
      if (!co.ok) throw new FieldError(co.reason);
    }
  } catch (error) {
    if (error instanceof FieldError) return bad(params, request, `schema_violation: ${error.message}`);
    throw error;
  }

  const fingerprint = eventFingerprint(params, read);
  row.set(C.event_fingerprint, fingerprint);
  // Without an eid, a hash of the event keeps re-sent copies deduplicable (Snowplow would draw a random one).
  if (row.get(C.event_id) == null) row.set(C.event_id, uuidFromText(`${fingerprint}/${request.collectorTstamp}`));

  const type = eventTypes[params.e]!; // mapTrackerParams refused an unknown e
  const key = ue?.ok ? ue.value.key : undefined;
  row.set(C.event_vendor, key?.vendor ?? type.vendor);
  row.set(C.event_name, key?.name ?? type.name);
  row.set(C.event_format, key?.format ?? (type.vendor ? 'jsonschema' : undefined));
  row.set(C.event_version, key?.version ?? (type.vendor ? '1-0-0' : undefined));
  // Set even when absent (undefined), so that rows with and without them share a layout (row-builder.ts).
  row.set(C.unstruct_event, ue?.ok ? ue.value.json : undefined);
  row.set(C.contexts, co?.ok ? co.value.json : undefined);
  row.set(C.web_page_id, co?.ok ? co.value.webPageId : undefined);

  if (ue?.ok && ctx.options.honourConsent) {
    const change = consentChangeOfJson(ue.value.json);
    if (change) request.optedOut = change === 'withdraw';
  }
  if (request.optedOut) {
    // Withdrawn consent: the identifiers go, the event stays (counted, with its session).
    for (const c of IDENTIFIERS) if (row.get(c) != null) row.set(c, undefined);
    if (co?.ok) row.set(C.contexts, withoutSessionUserIds(co.value.json));
  }
  row.set(C.network_userid, request.anonymous || request.optedOut ? ANONYMOUS_NUID : (params.tnuid || params.nuid || request.networkUserId));
  row.set(C.useragent, request.useragentOf(params.ua));

  let pageUrl = row.get(C.page_url);
  if (!pageUrl && request.referer) pageUrl = request.referer;
  if (typeof pageUrl === 'string') pageUrl = cleanUrl(pageUrl);
  row.set(C.page_url, pageUrl);
  applyPatch(row, ctx.urlFields(pageUrl as string | undefined, row.get(C.page_referrer) as string | undefined));

  row.set(C.derived_tstamp, derivedTstamp(request.collectorTstamp, row.get(C.dvce_created_tstamp) as number | undefined,
    row.get(C.dvce_sent_tstamp) as number | undefined, row.get(C.true_tstamp) as number | undefined));

  applyClientFields(row, request.clientFieldsOf(row.get(C.platform) as string, params.ua, params.ip));
  return undefined;
}
