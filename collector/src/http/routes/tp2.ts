// POST /com.snowplowanalytics.snowplow/tp2: a payload_data batch from a tracker. The envelope is
// checked here (400 only for bodies that can never succeed), then the raw request is spooled and
// answered 200 "ok" after fsync; its events are validated and enriched at flush, off this thread.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, type CollectorError } from '../../errors.ts';
import { makeBadRow } from '../../protocol/bad-row.ts';
import { isJsonContentType } from '../../protocol/parse-tp2.ts';
import { encodeRawRecord } from '../../protocol/raw-record.ts';
import { consentChangesInBody } from '../../enrich/consent.ts';
import { rawRequestMeta, type CollectorDeps } from '../collector-deps.ts';
import { recordBad, spoolRaw } from '../ingest.ts';
import { withBody } from '../receive-body.ts';
import { requestPrivacy } from '../request-privacy.ts';
import { send } from '../respond.ts';
import { tp2EventCount } from '../tp2-event-count.ts';

export async function handleTp2(req: IncomingMessage, res: ServerResponse, query: URLSearchParams | undefined, deps: CollectorDeps): Promise<void> {
  await withBody(req, res, deps, deps.config.maxBodyBytes, 'tp2', async (body) => {
    const now = Date.now();
    const decoded = body.toString('utf8');
    // A UTF-8 byte order mark is legal in a body but not in JSON.
    const text = decoded.charCodeAt(0) === 0xfeff ? decoded.slice(1) : decoded;
    const contentType = req.headers['content-type'];
    if (!isJsonContentType(contentType)) {
      throw await violation(deps, text, now, `content type must be application/json, got ${JSON.stringify(contentType ?? '')}`);
    }
    let events: number;
    try {
      events = tp2EventCount(text, deps.config.maxEventsPerRequest, deps.ctx.options.maxJsonDepth);
    } catch (error) {
      throw await violation(deps, text, now, (error as Error).message);
    }
    const honour = deps.ctx.options.honourConsent;
    const privacy = requestPrivacy(req, query, deps.config.cookie, honour, honour ? consentChangesInBody(text) : undefined);
    const record = encodeRawRecord(rawRequestMeta(req, deps, 'tp2', privacy, now, query), text);
    await spoolRaw(deps.store, record, events, deps.metrics);
    send(req, res, 200, 'ok', 'text/plain; charset=utf-8', privacy.setCookies.length > 0 ? { 'Set-Cookie': privacy.setCookies } : undefined);
  });
}

/** Keeps the body as a bad row (durably, before the answer), then gives the 400 to throw. */
async function violation(deps: CollectorDeps, text: string, now: number, reason: string): Promise<CollectorError> {
  await recordBad(deps.store, makeBadRow(text, `tracker_protocol_violation: ${reason}`, now, 'tp2'), deps.metrics);
  return badRequest(reason);
}
