// POST /com.snowplowanalytics.snowplow/tp2: a payload_data batch from a tracker. The envelope is
// checked here (400 only for bodies that can never succeed), then the raw request is spooled and
// answered 200 "ok" after fsync; its events are validated and enriched at flush, off this thread.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest } from '../../errors.ts';
import { makeBadRow } from '../../protocol/bad-row.ts';
import { checkTp2Envelope, isJsonContentType } from '../../protocol/parse-tp2.ts';
import { encodeRawRecord } from '../../protocol/raw-record.ts';
import { isAnonymous, rawRequestMeta, type CollectorDeps } from '../collector-deps.ts';
import { recordBad, spoolRaw } from '../ingest.ts';
import { networkUserId } from '../network-cookie.ts';
import { withBody } from '../receive-body.ts';
import { send } from '../respond.ts';

export async function handleTp2(req: IncomingMessage, res: ServerResponse, query: URLSearchParams | undefined, deps: CollectorDeps): Promise<void> {
  await withBody(req, res, deps, deps.config.maxBodyBytes, 'tp2', async (body) => {
    const now = Date.now();
    // A UTF-8 byte order mark is legal in a body but not in JSON.
    const text = body.toString('utf8').replace(/^\uFEFF/, '');
    const fail = async (reason: string) => {
      await recordBad(deps.store, makeBadRow(text, `tracker_protocol_violation: ${reason}`, now, 'tp2'), deps.metrics);
      return badRequest(reason);
    };
    const contentType = req.headers['content-type'];
    if (!isJsonContentType(contentType)) {
      throw await fail(`content type must be application/json, got ${JSON.stringify(contentType ?? '')}`);
    }
    let events;
    try {
      events = checkTp2Envelope(text, deps.config.maxEventsPerRequest).length;
    } catch (error) {
      throw await fail((error as Error).message);
    }
    const nuid = networkUserId(req, query, deps.config.cookie, isAnonymous(req));
    const record = encodeRawRecord(rawRequestMeta(req, deps, 'tp2', nuid.id, now, query), text);
    await spoolRaw(deps.store, record, events, deps.metrics);
    send(req, res, 200, 'ok', 'text/plain; charset=utf-8', nuid.setCookie ? { 'Set-Cookie': nuid.setCookie } : {});
  });
}
